namespace Toolgrid.Cli.JobsFile;

/// <summary>A node of a YAML document, with where it starts (1-based), so that every problem can say which line it is on.</summary>
internal abstract record YamlNode(int Line, int Column)
{
    /// <summary>What the node is, for a message: "a list", "a mapping", "a value".</summary>
    public abstract string What { get; }
}
