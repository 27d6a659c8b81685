namespace Toolgrid.Core.Tools;

/// <summary>
/// A tool account: a Unix user and group of its own, a home under the data root holding
/// <c>public_html/</c>, and one or more maintainers.
/// </summary>
/// <remarks>
/// A deleted tool is disabled, never erased: its row stays (so the name is not handed to
/// someone else while its files exist) and its files are kept.
/// </remarks>
public sealed class Tool
{
    public required string Name { get; set; }

    public string Description { get; set; } = "";

    /// <summary>The tool's Unix user name, e.g. <c>tools.mytool</c>.</summary>
    public required string UnixUser { get; set; }

    public int Uid { get; set; }

    public int Gid { get; set; }

    /// <summary>The tool's home directory, <c>&lt;data-root&gt;/&lt;name&gt;</c>.</summary>
    public required string Home { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    /// <summary>When the tool was deleted (disabled); null while it is active.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>An admin's raise of the per-job memory ceiling, in bytes; null for the site's.</summary>
    public long? MaxMemoryBytes { get; set; }

    /// <summary>An admin's raise of the per-job CPU ceiling, in millicores; null for the site's.</summary>
    public int? MaxCpuMillis { get; set; }

    /// <summary>An admin's raise of the number of jobs the tool may have; null for the site's.</summary>
    public int? MaxJobs { get; set; }

    /// <summary>The tool's own mail address, where one is configured; mail about its jobs goes there too.</summary>
    public string? Email { get; set; }

    public List<Maintainer> Maintainers { get; set; } = [];

    public bool IsActive => DisabledAt is null;
}
