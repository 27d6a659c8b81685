using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scale;

/// <summary>What the scale suite measured.</summary>
internal sealed class ScaleResults
{
    public DateTimeOffset Date { get; init; }

    public required MachineInfo Machine { get; init; }

    public required BenchOptions Options { get; init; }

    public required ScaleShape Shape { get; init; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>The host's load average (1 min) when the measurements began and when they ended.</summary>
    public (double Begin, double End) Load { get; set; }

    public ScaleSeedResult? Seed { get; set; }

    /// <summary>The store file with the seed in it (the database and its write-ahead log).</summary>
    public long StoreBytes { get; set; }

    /// <summary>toolgridd on the seeded store: exec → the API answers.</summary>
    public TimeSpan StartUp { get; set; }

    /// <summary>Runs by state in toolgridd's own status once it settled (what ran and what waited).</summary>
    public IReadOnlyDictionary<string, int> RunStates { get; set; } = new Dictionary<string, int>();

    /// <summary>Per API request (ms), as the maintainer over the Unix socket: <c>jobs list</c> of a tool.</summary>
    public Distribution JobsList { get; set; } = Distribution.Empty;

    /// <summary><c>jobs show</c> of a scheduled job (with its history's newest runs, which the API shows: it has no other list of runs).</summary>
    public Distribution JobShow { get; set; } = Distribution.Empty;

    /// <summary><c>toolgrid status</c> (<c>GET /api/v1/status</c>).</summary>
    public Distribution ApiStatus { get; set; } = Distribution.Empty;

    /// <summary>The proxy's status page (<c>GET /</c>), each after its cache had expired: the store read every time.</summary>
    public Distribution StatusPage { get; set; } = Distribution.Empty;

    /// <summary>The same page served from its cache (within <c>StatusCacheDuration</c> of a read).</summary>
    public Distribution StatusPageCached { get; set; } = Distribution.Empty;

    /// <summary>The web service's new replica recorded ready (<c>readyAt</c>) → the first answer from it through the proxy (ms).</summary>
    public Distribution RouteChange { get; set; } = Distribution.Empty;

    /// <summary>The web service started → the first answer through the proxy (ms).</summary>
    public Distribution WebserviceStart { get; set; } = Distribution.Empty;

    public long ServerRssBytes { get; set; }

    public long ServerRssIdleBytes { get; set; }

    /// <summary>toolgridd's CPU per second of wall time in each idle window (ms/s).</summary>
    public IReadOnlyList<double> IdleCpu { get; set; } = [];

    /// <summary>A trim of the seeded history under a stricter rule, when measured (<c>--scale-trim-days</c>).</summary>
    public ScaleTrimResult? Trim { get; set; }
}
