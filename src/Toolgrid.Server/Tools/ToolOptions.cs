using Toolgrid.Core.Identity;
using Toolgrid.Core.Tools;

namespace Toolgrid.Server.Tools;

/// <summary>Who may create which tools (section <c>Toolgrid:Tools</c>).</summary>
public sealed class ToolOptions
{
    public const string Section = "Toolgrid:Tools";

    /// <summary>
    /// Names no new tool may have. Null (unset) for <see cref="ReservedToolNames.Default"/>; a
    /// list set here replaces it. The first label of <c>Toolgrid:Proxy:AdminHost</c>, when it is
    /// a host under the domain, is reserved besides.
    /// </summary>
    public List<string>? ReservedNames { get; set; }

    /// <summary>How many active tools one person may have created, unless an admin set theirs.</summary>
    public int MaxToolsPerPerson { get; set; } = ToolCap.DefaultMaxToolsPerPerson;
}
