using Toolgrid.Core.Jobs;
using Toolgrid.Core.Limits;

namespace Toolgrid.Server;

/// <summary>toolgridd's own settings (section <c>Toolgrid</c>). Each default depends on whether it runs as root.</summary>
public sealed class ServerOptions
{
    public const string Section = "Toolgrid";

    /// <summary>Where tools' homes are: <c>&lt;DataRoot&gt;/&lt;tool&gt;</c>. Default <c>/srv/toolgrid</c> as root, <c>~/.local/share/toolgrid</c> otherwise.</summary>
    public string? DataRoot { get; set; }

    /// <summary>Where the platform keeps its own state: the SQLite store and the runs' directories. Default <c>&lt;DataRoot&gt;/.toolgrid</c>.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>The roles this process plays, comma-separated: <c>api</c>, <c>controller</c>, <c>node</c>, <c>proxy</c>. Default: all.</summary>
    public string Roles { get; set; } = "api,controller,node,proxy";

    /// <summary>The backend that runs runs: <c>local</c> (on this host, the node role), <c>gridengine</c> (section <c>Toolgrid:GridEngine</c>) or <c>slurm</c> (section <c>Toolgrid:Slurm</c>).</summary>
    public string Backend { get; set; } = BackendNames.Local;

    public ApiOptions Api { get; set; } = new();

    /// <summary>The IANA time zone schedules are read in when a job names none.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The site's defaults and ceilings for jobs.</summary>
    public JobLimits Limits { get; set; } = new();

    /// <summary>The site's part of a job's rules, with <paramref name="queues"/> and the tool's <paramref name="granted"/> ones: its time zone, and what its backend can run.</summary>
    public JobSite SiteOf(IReadOnlyCollection<string> queues, IReadOnlyCollection<string>? granted = null) => new(queues, TimeZone, Abilities: BackendNames.AbilitiesOf(Backend), Granted: granted);
}

/// <summary>Where the API listens (section <c>Toolgrid:Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The Unix socket for callers on this host. Default <c>/run/toolgrid/api.sock</c> as root, <c>$XDG_RUNTIME_DIR/toolgrid/api.sock</c> or <c>/tmp/toolgrid-UID/api.sock</c> otherwise. Empty to turn it off.</summary>
    public string? Socket { get; set; }

    /// <summary>TCP addresses for callers with a token, separated by ';'. Default <c>http://127.0.0.1:8470</c> as root, none otherwise. Empty to turn TCP off.</summary>
    public string? Urls { get; set; }

    /// <summary>The largest request body the API accepts.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
