using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Webservices;

/// <summary>
/// The rules for a tool's web service: which of its runs get traffic, and what to say about it.
/// Pure: the proxy, the API and the pages all decide with these, so they never disagree.
/// </summary>
public static class WebserviceStatus
{
    /// <summary>The name of a tool's web service job.</summary>
    public const string JobName = "webservice";

    /// <summary>A crash loop: this many ends in a row without a ready replica between them.</summary>
    public const int CrashLoopRestarts = 2;

    /// <summary>
    /// Whether <paramref name="run"/> gets traffic: it is running and not being stopped, it has a
    /// port, its node is not down, it passed its startup check (when its job has one), and its
    /// latest check did not fail.
    /// </summary>
    /// <remarks>
    /// A draining node keeps its runs, so they keep their traffic. A node the store does not know
    /// (yet) counts as up: the run was just reported running from it.
    /// </remarks>
    public static bool IsRoutable(Job job, Run run, NodeState? node)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        var hasCheck = job.HealthCheckHttpPath is not null || job.HealthCheckScript is not null;
        return run.State == RunState.Running
            && run.StopRequestedAt is null
            && run.Port is not null
            && node != NodeState.Down
            && (!hasCheck || run.ReadyAt is not null)
            && run.Healthy != false;
    }

    /// <summary>
    /// Describes the web service <paramref name="job"/> (live or being stopped) from its active runs
    /// and, for a crash loop's reason, its latest ended run.
    /// </summary>
    public static WebserviceSummary Describe(
        Job job,
        IReadOnlyCollection<Run> activeRuns,
        Run? latestEnded,
        IReadOnlyDictionary<string, NodeState> nodes,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(activeRuns);
        ArgumentNullException.ThrowIfNull(nodes);
        return Summarize(job, activeRuns, latestEnded, nodes, now) with { Warning = Exposed(activeRuns) };
    }

    /// <summary>
    /// The warning for replicas that listen outside loopback on their port (<see cref="Run.ListensOutside"/>):
    /// anyone who can reach the node reaches them there, around the proxy and all it does (its
    /// forwarded headers, the paths it refuses, the cookies it scopes).
    /// </summary>
    public static string? Exposed(IEnumerable<Run> activeRuns)
    {
        ArgumentNullException.ThrowIfNull(activeRuns);
        var exposed = activeRuns.Where(r => r.IsActive && r.ListensOutside is not null).OrderBy(r => r.Id).ToList();
        if (exposed.Count == 0)
        {
            return null;
        }

        var first = exposed[0];
        var others = exposed.Count == 1 ? "" : $" (and {exposed.Count - 1} more {(exposed.Count == 2 ? "replica" : "replicas")})";
        return $"listens on {first.ListensOutside}{(first.Node is { } node ? " on " + node : "")}{others}: reachable around the proxy; bind to $HOST (e.g. --bind '$HOST'), which the platform sets";
    }

    private static WebserviceSummary Summarize(
        Job job,
        IReadOnlyCollection<Run> activeRuns,
        Run? latestEnded,
        IReadOnlyDictionary<string, NodeState> nodes,
        DateTimeOffset now)
    {
        var type = job.Webservice is { } t ? JobWire.Of(t) : "generic";
        var replicas = job.Replicas;
        var ready = activeRuns.Count(r => IsRoutable(job, r, NodeOf(r, nodes)));
        var path = job.HealthCheckHttpPath ?? "/";

        if (job.DeletedAt is not null)
        {
            var stopping = activeRuns.Count;
            return new(type, WebserviceSummary.Stopped, stopping == 0 ? "stopped" : $"stopping: {Replicas(stopping)} shutting down", replicas, 0);
        }

        if (ready > 0)
        {
            var text = ready >= replicas
                ? $"running: {ready} of {Replicas(replicas)} ready"
                : $"running: {ready} of {Replicas(replicas)} ready; {Lagging(job, activeRuns, nodes, path)}";
            return new(type, WebserviceSummary.Running, text, replicas, ready);
        }

        if (job.RestartCount >= CrashLoopRestarts)
        {
            var outcome = latestEnded is null ? "" : $"the last run {Outcome(latestEnded)}; ";
            var next = job.NextStartAt is { } at && at > now ? $"; next try in {JobStatus.Ago(at - now)}" : "; starting again";
            return new(type, WebserviceSummary.CrashLooping, $"crash-looping: {outcome}ended {job.RestartCount} times in a row{next}", replicas, 0);
        }

        if (activeRuns.Count == 0)
        {
            var text = job.NextStartAt is { } at && at > now
                ? $"starting: the last run {(latestEnded is null ? "ended" : Outcome(latestEnded))}; starting again in {JobStatus.Ago(at - now)}"
                : "starting: waiting for the controller to place a replica";
            return new(type, WebserviceSummary.Starting, text, replicas, 0);
        }

        return new(type, WebserviceSummary.Starting, $"starting: 0 of {Replicas(replicas)} ready; {Lagging(job, activeRuns, nodes, path)}", replicas, 0);
    }

    /// <summary>A tool with no web service job: the proxy serves its <c>public_html</c> when it has a page there (static), else its default page (none).</summary>
    public static WebserviceSummary WithoutJob(bool hasPublicHtml) => hasPublicHtml
        ? new("static", WebserviceSummary.Running, "static: the proxy serves ~/public_html", 0, 0)
        : new("none", WebserviceSummary.Stopped, "no web service and no ~/public_html/index.html: the proxy shows the tool's default page", 0, 0);

    /// <summary>Whether <paramref name="home"/>'s <c>public_html</c> has a page at its root (an <c>index.html</c>, or a <c>.listing</c> that asks for a listing).</summary>
    public static bool HasPublicHtml(string home)
    {
        var root = Path.Combine(home, "public_html");
        return File.Exists(Path.Combine(root, "index.html")) || File.Exists(Path.Combine(root, ".listing"));
    }

    /// <summary>The state of the node a run is on, or null when the store does not know it.</summary>
    public static NodeState? NodeOf(Run run, IReadOnlyDictionary<string, NodeState> nodes)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(nodes);
        return run.Node is { } node && nodes.TryGetValue(node, out var state) ? state : null;
    }

    /// <summary>Why the replicas that get no traffic get none: the first reason found.</summary>
    private static string Lagging(Job job, IEnumerable<Run> runs, IReadOnlyDictionary<string, NodeState> nodes, string path)
    {
        var waiting = runs.Where(r => !IsRoutable(job, r, NodeOf(r, nodes))).OrderBy(r => r.Id).FirstOrDefault();
        return waiting switch
        {
            null => "the others are being placed",
            { State: RunState.Queued } => "a replica is queued: waiting for a node",
            { State: RunState.Starting } => $"a replica is starting on {waiting.Node}",
            { StopRequestedAt: not null } => $"a replica is stopping on {waiting.Node}",
            { Healthy: false } => job.HealthCheckHttpPath is not null
                ? $"a replica on {waiting.Node} fails its health check (GET {path} on port {waiting.Port})"
                : $"a replica on {waiting.Node} fails its health check",
            { ReadyAt: null } when job.HealthCheckHttpPath is not null => $"a replica on {waiting.Node} waits for its health check (GET {path} on port {waiting.Port} must answer 2xx or 3xx)",
            { ReadyAt: null } => $"a replica on {waiting.Node} waits for its health check",
            _ when NodeOf(waiting, nodes) == NodeState.Down => $"node {waiting.Node} is down",
            _ => $"a replica on {waiting.Node} has no port",
        };
    }

    private static string Outcome(Run run)
    {
        var reason = RunWire.Of(run.Reason);
        var detail = run.Message is { Length: > 0 } message ? message
            : run.ExitCode is { } code ? $"exit code {code}"
            : run.Signal is { } signal ? $"signal {signal}"
            : null;
        return detail is null ? $"ended ({reason})" : $"ended ({reason}: {detail})";
    }

    private static string Replicas(int count) => count == 1 ? "1 replica" : $"{count} replicas";
}
