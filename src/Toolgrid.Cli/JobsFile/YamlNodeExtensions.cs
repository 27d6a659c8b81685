using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Toolgrid.Cli.JobsFile;

/// <summary>What <c>jobs.yaml</c>'s reader asks of YamlDotNet's nodes: where one starts (1-based), what it is in a message's words, and a scalar's text and whether it was plain.</summary>
internal static class YamlNodeExtensions
{
    extension(Mark mark)
    {
        /// <summary>The mark's line, 1-based.</summary>
        public int LineNumber() => (int)Math.Clamp(mark.Line, 0, int.MaxValue);

        /// <summary>The mark's column, 1-based.</summary>
        public int ColumnNumber() => (int)Math.Clamp(mark.Column, 0, int.MaxValue);
    }

    extension(YamlNode node)
    {
        /// <summary>The line the node starts on, so that every problem can say which line it is on.</summary>
        public int Line => node.Start.LineNumber();

        /// <summary>What the node is, for a message: "a list", "a mapping", "a value".</summary>
        public string What => node switch
        {
            YamlSequenceNode => "a list",
            YamlMappingNode => "a mapping",
            _ => "a value",
        };
    }

    extension(YamlScalarNode scalar)
    {
        /// <summary>The scalar's text as written (empty for <c>key:</c>).</summary>
        public string Text => scalar.Value ?? "";

        /// <summary>
        /// Unquoted and untagged, which decides whether <c>true</c> or <c>~</c> is a word or a value:
        /// a tag (e.g. <c>!!str</c>, or the non-specific <c>!</c>) makes a scalar a string, as quotes
        /// do; an untagged plain scalar has an empty tag (or <c>?</c>, the implicit one).
        /// </summary>
        public bool Plain => scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.Value == "?");

        /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all (<c>key:</c>).</summary>
        public bool IsNull => scalar.Plain && scalar.Text is "" or "~" or "null" or "Null" or "NULL";
    }

    extension(YamlMappingNode mapping)
    {
        /// <summary>The mapping's entries in the order written; every key is a scalar (<see cref="CheckingParser"/> refuses others).</summary>
        public IEnumerable<KeyValuePair<YamlScalarNode, YamlNode>> Entries =>
            mapping.Children.Select(c => KeyValuePair.Create((YamlScalarNode)c.Key, c.Value));
    }
}
