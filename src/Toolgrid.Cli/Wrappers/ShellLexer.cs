using System.Text;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// Splits a command line the way <c>/bin/sh</c> does, far enough to see what a crontab line runs:
/// its words (quotes removed, expansions kept as written), its operators and its redirections.
/// </summary>
/// <remarks>
/// Nothing is expanded or run: <c>$HOME</c> stays <c>$HOME</c>, <c>$(date)</c> stays one word. The
/// raw text of each word is kept, so that a command rebuilt from words is read by the job's shell
/// exactly as cron's shell would have read it.
/// </remarks>
internal static class ShellLexer
{
    private const string SubstitutionNotClosed = "a substitution ($(…), ${…} or `…`) is not closed.";

    /// <summary>The tokens of <paramref name="line"/>; null, with <paramref name="error"/>, when a quote or a substitution is not closed.</summary>
    public static IReadOnlyList<ShellToken>? Split(string line, out string error)
    {
        ArgumentNullException.ThrowIfNull(line);
        error = "";
        var tokens = new List<ShellToken>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is ' ' or '\t')
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            if (Operator(line, i) is { } op)
            {
                tokens.Add(new ShellToken(ShellTokenKind.Operator, op, op, false));
                i += op.Length;
                continue;
            }

            if (Redirection(line, i) is { } redirection)
            {
                tokens.Add(new ShellToken(ShellTokenKind.Redirection, redirection, redirection, false));
                i += redirection.Length;
                continue;
            }

            var start = i;
            var value = new StringBuilder();
            var expands = c == '~';
            while (i < line.Length && !IsWordEnd(line, i))
            {
                switch (line[i])
                {
                    case '\\':
                        if (i + 1 < line.Length)
                        {
                            value.Append(line[i + 1]);
                        }

                        i += 2;
                        break;
                    case '\'':
                        var close = line.IndexOf('\'', i + 1);
                        if (close < 0)
                        {
                            error = "a single quote (') is not closed.";
                            return null;
                        }

                        value.Append(line, i + 1, close - i - 1);
                        i = close + 1;
                        break;
                    case '"':
                        i++;
                        while (i < line.Length && line[i] != '"')
                        {
                            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '$' or '`' or '"' or '\\')
                            {
                                value.Append(line[i + 1]);
                                i += 2;
                            }
                            else if (line[i] is '$' or '`')
                            {
                                expands = true;
                                var end = SubstitutionEnd(line, i);
                                if (end < 0)
                                {
                                    error = SubstitutionNotClosed;
                                    return null;
                                }

                                value.Append(line, i, end - i);
                                i = end;
                            }
                            else
                            {
                                value.Append(line[i]);
                                i++;
                            }
                        }

                        if (i >= line.Length)
                        {
                            error = "a double quote (\") is not closed.";
                            return null;
                        }

                        i++;
                        break;
                    case '$' or '`':
                        expands = true;
                        var stop = SubstitutionEnd(line, i);
                        if (stop < 0)
                        {
                            error = SubstitutionNotClosed;
                            return null;
                        }

                        value.Append(line, i, stop - i);
                        i = stop;
                        break;
                    default:
                        value.Append(line[i]);
                        i++;
                        break;
                }
            }

            // Digits right before < or > name a file descriptor: "2>", "2>&1".
            if (i < line.Length && line[i] is '<' or '>' && i > start && line.AsSpan(start, i - start).IndexOfAnyExceptInRange('0', '9') < 0
                && Redirection(line, i) is { } numbered)
            {
                var text = line[start..i] + numbered;
                tokens.Add(new ShellToken(ShellTokenKind.Redirection, text, text, false));
                i += numbered.Length;
                continue;
            }

            tokens.Add(new ShellToken(ShellTokenKind.Word, line[start..i], value.ToString(), expands));
        }

        return tokens;
    }

    private static bool IsWordEnd(string line, int i) =>
        line[i] is ' ' or '\t' or ';' or '|' or '&' or '(' or ')' or '<' or '>';

    private static string? Operator(string line, int i)
    {
        foreach (var op in new[] { "&&", "||", ";;", ";", "|", "(", ")" })
        {
            if (string.CompareOrdinal(line, i, op, 0, op.Length) == 0)
            {
                return op;
            }
        }

        return line[i] == '&' && !(i + 1 < line.Length && line[i + 1] == '>') ? "&" : null;
    }

    private static string? Redirection(string line, int i)
    {
        foreach (var op in new[] { "&>>", "&>", ">>", ">&", ">|", "<<<", "<<", "<&", "<>", ">", "<" })
        {
            if (string.CompareOrdinal(line, i, op, 0, op.Length) == 0)
            {
                return op;
            }
        }

        return null;
    }

    /// <summary>Where a <c>$…</c> or <c>`…`</c> that starts at <paramref name="i"/> ends (one past it); -1 when it is not closed.</summary>
    private static int SubstitutionEnd(string line, int i)
    {
        if (line[i] == '`')
        {
            var close = line.IndexOf('`', i + 1);
            return close < 0 ? -1 : close + 1;
        }

        if (i + 1 >= line.Length)
        {
            return i + 1;
        }

        var open = line[i + 1];
        if (open is '(' or '{')
        {
            var closing = open == '(' ? ')' : '}';
            var depth = 0;
            for (var j = i + 1; j < line.Length; j++)
            {
                if (line[j] == open)
                {
                    depth++;
                }
                else if (line[j] == closing && --depth == 0)
                {
                    return j + 1;
                }
                else if (line[j] == '\'')
                {
                    j = line.IndexOf('\'', j + 1);
                    if (j < 0)
                    {
                        return -1;
                    }
                }
            }

            return -1;
        }

        // $NAME, $1, $?, $$…
        var k = i + 1;
        if (char.IsAsciiLetter(line[k]) || line[k] == '_')
        {
            while (k < line.Length && (char.IsAsciiLetterOrDigit(line[k]) || line[k] == '_'))
            {
                k++;
            }

            return k;
        }

        return k + 1;
    }
}
