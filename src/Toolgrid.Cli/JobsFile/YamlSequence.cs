namespace Toolgrid.Cli.JobsFile;

/// <summary>A YAML list.</summary>
internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column)
{
    public override string What => "a list";
}
