namespace Toolgrid.Cli.JobsFile;

/// <summary>A scalar: its text as written, and whether it was plain (unquoted, untagged), which decides whether <c>true</c> or <c>~</c> is a word or a value.</summary>
internal sealed record YamlScalar(string Value, bool Plain, int Line, int Column) : YamlNode(Line, Column)
{
    public override string What => "a value";

    /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all (<c>key:</c>).</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}
