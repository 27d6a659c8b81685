using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// YamlDotNet's parser, refusing as the events go by what <see cref="YamlDotNet.RepresentationModel.YamlStream"/>
/// would take badly or not at all, each with its line: a second document, a key that is a list or
/// mapping (or an alias), an alias before its anchor, and a key given twice, named with the line
/// it was first given on.
/// </summary>
/// <remarks>
/// Keys are compared by their text, whatever their quotes or tag: <c>"mem"</c> and <c>mem</c> are
/// the same key. An anchor counts from the end of its node on, so a node never holds itself.
/// </remarks>
internal sealed class CheckingParser(IParser parser) : IParser
{
    private readonly Stack<Collection> _open = new();
    private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
    private bool _inDocument;

    public ParsingEvent? Current => parser.Current;

    public bool MoveNext()
    {
        if (!parser.MoveNext())
        {
            return false;
        }

        Check(parser.Current!);
        return true;
    }

    private void Check(ParsingEvent current)
    {
        switch (current)
        {
            case DocumentStart when _inDocument:
                throw new YamlException(current.Start, current.End, "the file holds more than one YAML document ('---'); put every job in one list.");
            case DocumentStart:
                _inDocument = true;
                break;
            case AnchorAlias alias:
                if (!_anchors.Contains(alias.Value.Value))
                {
                    throw new YamlException(alias.Start, alias.End, $"there is no anchor &{alias.Value.Value} before this alias *{alias.Value.Value}.");
                }

                Place(alias);
                break;
            case Scalar scalar:
                Place(scalar);
                Anchor(scalar);
                break;
            case MappingStart or SequenceStart:
                Place(current);
                _open.Push(new Collection((NodeEvent)current));
                break;
            case MappingEnd or SequenceEnd:
                Anchor(_open.Pop().Start);
                break;
        }
    }

    /// <summary>Checks a node where it stands: as a key of the mapping it is in, it must be a word given once.</summary>
    private void Place(ParsingEvent node)
    {
        if (!_open.TryPeek(out var parent) || parent.Start is not MappingStart)
        {
            return;
        }

        parent.AtKey = !parent.AtKey;
        if (!parent.AtKey)
        {
            // It was the value.
            return;
        }

        var key = node switch
        {
            Scalar scalar => scalar.Value,
            AnchorAlias alias => throw new YamlException(node.Start, node.End, $"a key must be a word written out, not an alias (*{alias.Value.Value})."),
            _ => throw new YamlException(node.Start, node.End, $"a key must be a word, not {(node is MappingStart ? "a mapping" : "a list")}."),
        };
        var line = node.Start.LineNumber();
        if (!parent.Keys.TryAdd(key, line))
        {
            throw new YamlException(node.Start, node.End, FormattableString.Invariant($"the key '{key}' is given twice (first on line {parent.Keys[key]}); keep one."));
        }
    }

    private void Anchor(NodeEvent node)
    {
        if (!node.Anchor.IsEmpty)
        {
            _anchors.Add(node.Anchor.Value);
        }
    }

    /// <summary>A mapping or list being read; of a mapping, its keys so far (with their lines) and whether the next node is a key.</summary>
    private sealed class Collection(NodeEvent start)
    {
        public NodeEvent Start { get; } = start;

        public Dictionary<string, int> Keys { get; } = new(StringComparer.Ordinal);

        public bool AtKey { get; set; }
    }
}
