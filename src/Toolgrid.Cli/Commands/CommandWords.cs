using System.Text;
using System.Text.RegularExpressions;
using Toolgrid.Cli.Wrappers;

namespace Toolgrid.Cli.Commands;

/// <summary>
/// The words after <c>--</c> as the command line a run's <c>/bin/sh -c</c> reads, so that the
/// program gets exactly the words that were typed.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>One word is a shell line, run as written: <c>-- 'cd www &amp;&amp; ./serve'</c>, as
/// <c>ssh host 'id; pwd'</c> and <c>su -c</c> take one.</item>
/// <item>Two or more words are a program and its arguments: each is quoted for the shell
/// (spaces, quotes, <c>$</c>, <c>;</c>, newlines reach the program as typed), so
/// <c>-- /bin/sh -c 'a &amp;&amp; b'</c> runs <c>sh</c> with <c>-c</c> and <c>a &amp;&amp; b</c>.</item>
/// <item>The platform's own variables, <c>$PORT</c> and <c>$HOST</c> (also as <c>${PORT}</c>),
/// are the exception: written in a word (quoted for the user's shell: <c>'$PORT'</c>), they
/// are filled in when the run starts, as documented for web services.</item>
/// </list>
/// </remarks>
internal static partial class CommandWords
{
    /// <summary>The command line for <paramref name="words"/>; null for none.</summary>
    public static string? ToCommandLine(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Count switch
        {
            0 => null,
            1 => words[0],
            _ => string.Join(' ', words.Select(QuoteKeepingPlatformVariables)),
        };
    }

    /// <summary>One word for the shell: literal, but for <c>$PORT</c>/<c>$HOST</c>, which the shell fills in.</summary>
    public static string QuoteKeepingPlatformVariables(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var quoted = new StringBuilder();
        var last = 0;
        foreach (Match variable in PlatformVariable().Matches(word))
        {
            if (variable.Index > last)
            {
                quoted.Append(ShellQuoting.Quote(word[last..variable.Index]));
            }

            quoted.Append("\"$").Append(variable.Groups["name"].Value).Append('"');
            last = variable.Index + variable.Length;
        }

        if (last < word.Length || word.Length == 0)
        {
            quoted.Append(ShellQuoting.Quote(word[last..]));
        }

        return quoted.ToString();
    }

    [GeneratedRegex(@"\$(?:(?<name>PORT|HOST)\b|\{(?<name>PORT|HOST)\})", RegexOptions.CultureInvariant)]
    private static partial Regex PlatformVariable();
}
