namespace Toolgrid.Core.Tools;

/// <summary>A user who maintains a tool. Tools and users are many-to-many.</summary>
public sealed class Maintainer
{
    public required string ToolName { get; set; }

    public required string UserName { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public required string AddedBy { get; set; }
}
