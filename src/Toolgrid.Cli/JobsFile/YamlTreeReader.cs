using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// Reads one YAML document into YamlDotNet's representation model (<see cref="YamlStream"/>),
/// which builds the tree without reflection, so the native (AOT) build follows all of it.
/// </summary>
/// <remarks>
/// <para>
/// What the model takes badly or not at all is refused first, as the events go by
/// (<see cref="CheckingParser"/>): a key given twice (YamlDotNet would say "Duplicate key"
/// without the first line), a key that is a list or mapping, an alias before its anchor, a second
/// document.
/// </para>
/// <para>
/// Anchors and aliases are resolved by the model (an alias is the anchored node itself, never a
/// copy); YAML's merge key <c>&lt;&lt;</c>, which the model leaves as an ordinary key, is applied
/// here. Typing is left to the reader of the tree: a scalar keeps its text and whether it was
/// plain (<see cref="YamlNodeExtensions"/>), so that <c>umask: 022</c> stays "022".
/// </para>
/// </remarks>
internal static class YamlTreeReader
{
    private const string MergeKey = "<<";

    /// <summary>Reads the document in <paramref name="text"/>; null (and no error) for an empty one.</summary>
    public static YamlNode? Read(TextReader text, out YamlSyntaxError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new CheckingParser(new Parser(text)));
            if (stream.Documents.Count == 0)
            {
                return null;
            }

            var root = stream.Documents[0].RootNode;
            ApplyMergeKeys(root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
            return root is YamlScalarNode { IsNull: true } ? null : root;
        }
        catch (YamlException e)
        {
            error = new YamlSyntaxError(e.Start.LineNumber(), e.Start.ColumnNumber(), Explain(e.Message));
            return null;
        }
    }

    /// <summary>Applies every <c>&lt;&lt;</c> under <paramref name="node"/>, each mapping once (an aliased one is shared).</summary>
    private static void ApplyMergeKeys(YamlNode node, HashSet<YamlNode> done)
    {
        if (!done.Add(node))
        {
            return;
        }

        switch (node)
        {
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    ApplyMergeKeys(item, done);
                }

                break;
            case YamlMappingNode mapping:
                // The sources first, so that a merged mapping brings its own merged keys along.
                foreach (var value in mapping.Children.Values)
                {
                    ApplyMergeKeys(value, done);
                }

                Merge(mapping);
                break;
        }
    }

    /// <summary>
    /// Replaces the mapping's <c>&lt;&lt;</c> by the keys of the mapping (or list of mappings, the
    /// earlier winning) it names that the mapping has not, after its own, as YAML's merge key says.
    /// </summary>
    private static void Merge(YamlMappingNode mapping)
    {
        var mergeKey = mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Plain: true, Value: MergeKey });
        if (mergeKey is null)
        {
            return;
        }

        var value = mapping.Children[mergeKey];
        var sources = value switch
        {
            YamlMappingNode one => [one],
            YamlSequenceNode list when list.Children.All(i => i is YamlMappingNode) => list.Children.Cast<YamlMappingNode>().ToList(),
            _ => throw new YamlException(mergeKey.Start, mergeKey.End, "'<<' merges a mapping (<<: *defaults) or a list of them; here it is given " + value.What + "."),
        };
        mapping.Children.Remove(mergeKey);
        var keys = mapping.Entries.Select(e => e.Key.Text).ToHashSet(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var (key, sourceValue) in source.Entries.ToList())
            {
                if (keys.Add(key.Text))
                {
                    mapping.Children.Add(key, sourceValue);
                }
            }
        }
    }

    /// <summary>YamlDotNet's message, with a hint for the mistake everybody makes once.</summary>
    private static string Explain(string message) =>
        message.Contains("invalid mapping", StringComparison.OrdinalIgnoreCase) || message.Contains("mapping values are not allowed", StringComparison.OrdinalIgnoreCase)
            ? message.TrimEnd('.') + ": a value holding ': ' must be quoted, e.g. command: './bot.py --mode: fast'."
            : message.TrimEnd('.') + ".";
}
