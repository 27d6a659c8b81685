using System.Text;

namespace Toolgrid.Cli.Wrappers;

/// <summary>Quotes words for <c>/bin/sh -c</c>: the platform runs a job's command through one shell, so the wrappers build it from argv by quoting each word.</summary>
internal static class ShellQuoting
{
    /// <summary>
    /// <paramref name="word"/> as one word of a POSIX shell command: as it is when it holds only
    /// characters no shell treats specially, otherwise in single quotes (a quote inside written as
    /// <c>'\''</c>), which the shell takes literally: no <c>$</c>, <c>`</c>, <c>*</c> or <c>~</c> expansion.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(IsSafe) && word[0] != '~' && !LooksLikeAssignment(word))
        {
            return word;
        }

        var quoted = new StringBuilder(word.Length + 2).Append('\'');
        foreach (var c in word)
        {
            if (c == '\'')
            {
                quoted.Append("'\\''");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>The words as one command line: each quoted, separated by spaces.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ',' or ':' or '@' or '%' or '+' or '=';

    // NAME=value first in a command sets a variable rather than naming the program.
    private static bool LooksLikeAssignment(string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && !char.IsAsciiDigit(word[0]) && IsAssignmentName(word.AsSpan(0, equals));
    }

    private static bool IsAssignmentName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
