using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s with their lines, through YamlDotNet's
/// parser alone: no object mapping, so nothing that the native (AOT) build cannot follow.
/// </summary>
/// <remarks>
/// Anchors and aliases are resolved (an alias is the anchored node itself, never a copy), and
/// YAML's merge key <c>&lt;&lt;</c> is applied. Typing is left to the reader of the tree: a
/// scalar keeps its text and whether it was plain, so that <c>umask: 022</c> stays "022".
/// </remarks>
internal static class YamlTreeReader
{
    private const string MergeKey = "<<";

    /// <summary>Reads the document in <paramref name="text"/>; null (and no error) for an empty one.</summary>
    public static YamlNode? Read(TextReader text, out YamlSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var parser = new Parser(text);
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        try
        {
            Expect<StreamStart>(parser);
            if (parser.Current is StreamEnd)
            {
                return null;
            }

            Expect<DocumentStart>(parser);
            var root = ReadNode(parser, anchors);
            Expect<DocumentEnd>(parser);
            if (parser.Current is DocumentStart next)
            {
                error = new YamlSyntaxError(LineOf(next.Start), ColumnOf(next.Start), "the file holds more than one YAML document ('---'); put every job in one list.");
                return null;
            }

            return root is YamlScalar { IsNull: true } ? null : root;
        }
        catch (YamlException e)
        {
            error = new YamlSyntaxError(LineOf(e.Start), ColumnOf(e.Start), Explain(e.Message));
            return null;
        }
    }

    private static YamlNode ReadNode(Parser parser, Dictionary<string, YamlNode> anchors)
    {
        var current = parser.Current ?? throw new YamlException("the file ends in the middle of a value.");
        parser.MoveNext();
        YamlNode node;
        switch (current)
        {
            case AnchorAlias alias:
                return anchors.TryGetValue(alias.Value.Value, out var anchored)
                    ? anchored
                    : throw new YamlException(alias.Start, alias.End, $"there is no anchor &{alias.Value.Value} before this alias *{alias.Value.Value}.");
            case Scalar scalar:
                // A tag (e.g. !!str, or the non-specific '!') makes a scalar a string, as quotes do;
                // an untagged plain scalar has an empty tag (or '?', the implicit one).
                node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.Value == "?"), LineOf(scalar.Start), ColumnOf(scalar.Start));
                break;
            case SequenceStart start:
                var items = new List<YamlNode>();
                while (parser.Current is not SequenceEnd)
                {
                    items.Add(ReadNode(parser, anchors));
                }

                parser.MoveNext();
                node = new YamlSequence(items, LineOf(start.Start), ColumnOf(start.Start));
                break;
            case MappingStart start:
                node = ReadMapping(parser, anchors, start);
                break;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current}.");
        }

        if (current is NodeEvent { Anchor.IsEmpty: false } anchoredEvent)
        {
            anchors[anchoredEvent.Anchor.Value] = node;
        }

        return node;
    }

    private static YamlMapping ReadMapping(Parser parser, Dictionary<string, YamlNode> anchors, MappingStart start)
    {
        var own = new List<YamlMappingEntry>();
        var merged = new List<YamlMappingEntry>();
        while (parser.Current is not MappingEnd)
        {
            var keyEvent = parser.Current!;
            var key = ReadNode(parser, anchors);
            var value = ReadNode(parser, anchors);
            if (key is not YamlScalar scalarKey)
            {
                throw new YamlException(keyEvent.Start, keyEvent.End, $"a key must be a word, not {key.What}.");
            }

            if (scalarKey is { Plain: true, Value: MergeKey })
            {
                Merge(value, merged, keyEvent);
            }
            else
            {
                own.Add(new YamlMappingEntry(scalarKey, value));
            }
        }

        parser.MoveNext();
        var keys = own.Select(e => e.Key.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in merged)
        {
            if (keys.Add(entry.Key.Value))
            {
                own.Add(entry);
            }
        }

        return new YamlMapping(own, LineOf(start.Start), ColumnOf(start.Start));
    }

    /// <summary>The merge key: a mapping, or a list of mappings of which the earlier win.</summary>
    private static void Merge(YamlNode value, List<YamlMappingEntry> merged, ParsingEvent at)
    {
        var sources = value switch
        {
            YamlMapping mapping => [mapping],
            YamlSequence sequence when sequence.Items.All(i => i is YamlMapping) => sequence.Items.Cast<YamlMapping>().ToList(),
            _ => throw new YamlException(at.Start, at.End, "'<<' merges a mapping (<<: *defaults) or a list of them; here it is given " + value.What + "."),
        };
        foreach (var source in sources)
        {
            foreach (var entry in source.Entries)
            {
                if (!merged.Exists(e => e.Key.Value == entry.Key.Value))
                {
                    merged.Add(entry);
                }
            }
        }
    }

    private static void Expect<T>(Parser parser)
        where T : ParsingEvent
    {
        if (parser.Current is null)
        {
            parser.MoveNext();
        }

        if (parser.Current is not T)
        {
            var current = parser.Current;
            throw current is null ? new YamlException("the file ends too early.") : new YamlException(current.Start, current.End, $"unexpected {current}.");
        }

        parser.MoveNext();
    }

    private static int LineOf(Mark mark) => (int)Math.Clamp(mark.Line, 0, int.MaxValue);

    private static int ColumnOf(Mark mark) => (int)Math.Clamp(mark.Column, 0, int.MaxValue);

    /// <summary>YamlDotNet's message, with a hint for the mistake everybody makes once.</summary>
    private static string Explain(string message) =>
        message.Contains("invalid mapping", StringComparison.OrdinalIgnoreCase) || message.Contains("mapping values are not allowed", StringComparison.OrdinalIgnoreCase)
            ? message.TrimEnd('.') + ": a value holding ': ' must be quoted, e.g. command: './bot.py --mode: fast'."
            : message.TrimEnd('.') + ".";
}
