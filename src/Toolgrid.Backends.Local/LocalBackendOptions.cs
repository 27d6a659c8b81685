namespace Toolgrid.Backends.Local;

/// <summary>Configuration of the local backend, bound from the section <c>Toolgrid:Local</c>.</summary>
/// <remarks>
/// Unset values have defaults worked out from this host when the backend starts: the node is
/// named after the host, its capacity follows its memory and cores.
/// </remarks>
public sealed class LocalBackendOptions
{
    /// <summary>The configuration section: <c>Toolgrid:Local</c>.</summary>
    public const string SectionName = "Toolgrid:Local";

    /// <summary>
    /// Where each run gets its directory (<c>&lt;RunDirectory&gt;/&lt;runId&gt;/</c>); required, an absolute path
    /// that survives a restart of toolgridd (toolgridd sets it to its data directory's <c>runs</c> when unset).
    /// </summary>
    public string RunDirectory { get; set; } = string.Empty;

    /// <summary>The shepherd program; by default <c>tg-shepherd</c> beside the application.</summary>
    public string? ShepherdPath { get; set; }

    /// <summary>The node's name; by default the host name.</summary>
    public string? NodeName { get; set; }

    /// <summary>The queues the node serves; empty means <c>default</c> only.</summary>
    public IList<string> Queues { get; } = [];

    /// <summary>Memory that runs' limits may add up to; by default physical memory × <see cref="MemoryOvercommit"/>.</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>How far runs' memory limits may add up past physical memory (limits are ceilings, seldom all used).</summary>
    public double MemoryOvercommit { get; set; } = 2;

    /// <summary>CPU that runs' limits may add up to, in millicores; by default cores × 1000 × <see cref="CpuOvercommit"/>.</summary>
    public int? CpuMillis { get; set; }

    /// <summary>How far runs' CPU limits may add up past the cores (most tools idle most of the time).</summary>
    public double CpuOvercommit { get; set; } = 8;

    /// <summary>How many runs may be on the node at once.</summary>
    public int Slots { get; set; } = 512;

    /// <summary>Whether runs get cgroups (memory, CPU, process limits). Off only for a single-user install without root.</summary>
    public bool UseCgroups { get; set; } = true;

    /// <summary>
    /// Whether each run gets its own view of the host (as root): a private <c>/proc</c> that shows
    /// only its tool's processes, and its own <c>/tmp</c>, <c>/var/tmp</c> and <c>/dev/shm</c>.
    /// Off only on a host where the shepherd cannot mount (a run's start then fails saying so).
    /// </summary>
    public bool IsolateRuns { get; set; } = true;

    /// <summary>The cgroup under which each run gets its own (<c>&lt;parent&gt;/run-&lt;id&gt;</c>).</summary>
    public string CgroupParent { get; set; } = "toolgrid";

    /// <summary>
    /// How often every run is looked at for a change nothing brought: a shepherd's notifications and
    /// its exit (seen through a process descriptor) bring each change as it happens, so this is a
    /// safety net (a notification lost to a full socket buffer, a shepherd that died before it could
    /// be watched), and each look reads every run's file.
    /// </summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Unix datagram socket the shepherds notify; by default <c>&lt;RunDirectory&gt;/notify.sock</c>.</summary>
    public string? NotifySocketPath { get; set; }

    /// <summary>
    /// The address a run with a port (a web service) is told to listen on, in <c>$HOST</c> beside
    /// <c>$PORT</c>. The default, <c>127.0.0.1</c>, lets only this host reach it: the proxy, when it
    /// runs here. Set this node's own address when the proxy runs on another host (and reaches the
    /// node there, <c>Toolgrid:Proxy:NodeAddresses</c>), or <c>0.0.0.0</c> for every address.
    /// A run that listens on any other address is reported (<c>webservice status</c> warns).
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a start may take before the backend stops waiting for the shepherd's launcher.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
