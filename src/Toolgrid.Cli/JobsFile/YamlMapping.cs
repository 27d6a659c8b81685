namespace Toolgrid.Cli.JobsFile;

/// <summary>
/// A YAML mapping, its entries in the order written; a key given twice is kept twice, so that the
/// reader can say so (with both lines) instead of one silently winning.
/// </summary>
/// <remarks>Keys merged in with <c>&lt;&lt;: *anchor</c> come after the mapping's own and only where it has no such key, as YAML's merge key says.</remarks>
internal sealed record YamlMapping(IReadOnlyList<YamlMappingEntry> Entries, int Line, int Column) : YamlNode(Line, Column)
{
    public override string What => "a mapping";
}
