using System.Text;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Reads the commands users copy out of the docs: the fenced blocks of a Markdown file, and the
/// commands of its <c>```sh</c> blocks, each line by itself unless a quote (or a trailing
/// backslash) carries it on, as <c>/bin/sh</c> reads them. Comments (<c>#</c> at the start of a
/// word, outside quotes) are dropped from <see cref="DocCommand.Command"/>, so an apostrophe in a
/// comment does not open a quote.
/// </summary>
public static class DocCommands
{
    /// <summary>The fenced (<c>```</c>) blocks of <paramref name="markdown"/>.</summary>
    public static IReadOnlyList<DocBlock> Blocks(string file, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var blocks = new List<DocBlock>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].Trim();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            blocks.Add(new DocBlock(file, start + 1, fence[3..].Trim(), lines[start..Math.Min(end, lines.Length)]));
            i = end;
        }

        return blocks;
    }

    /// <summary>The commands of a block, in order; blank and comment-only lines are none.</summary>
    /// <exception cref="FormatException">The block ends inside a command (an open quote).</exception>
    public static IReadOnlyList<DocCommand> Commands(DocBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var commands = new List<DocCommand>();
        var pending = new List<string>();
        var start = block.Line;
        for (var i = 0; i < block.Lines.Count; i++)
        {
            if (pending.Count == 0)
            {
                start = block.Line + i;
            }

            pending.Add(block.Lines[i].TrimEnd('\r'));
            var text = string.Join('\n', pending);
            if (!TryRead(text, out var command))
            {
                continue;
            }

            pending.Clear();
            if (command.Length > 0)
            {
                commands.Add(new DocCommand(block.File, start, text, command));
            }
        }

        return pending.Count == 0
            ? commands
            : throw new FormatException($"{block.File}:{start}: the block ends inside a command (an open quote or a trailing backslash): {string.Join('\n', pending)}");
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a whole command for <c>/bin/sh</c> (no quote left open,
    /// no trailing backslash), and the command without its comments and outer blanks.
    /// </summary>
    public static bool TryRead(string text, out string command)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder();
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                kept.Append(c);
                quote = c == '\'' ? '\0' : quote;
            }
            else if (c == '\\')
            {
                if (i + 1 == text.Length)
                {
                    command = "";
                    return false;
                }

                kept.Append(c).Append(text[++i]);
            }
            else if (quote == '"')
            {
                kept.Append(c);
                quote = c == '"' ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                kept.Append(c);
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] is ';' or '&' or '|' or '(' or ')'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }
            }
            else
            {
                kept.Append(c);
            }
        }

        command = string.Join('\n', kept.ToString().Split('\n').Select(l => l.TrimEnd())).Trim();
        return quote == '\0';
    }
}
