using System.Text.RegularExpressions;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scenarios;

/// <summary>
/// Isolated submits with toolgridd logging every SQL command, transaction step and request
/// (the switches are in <see cref="Arguments"/>), cut into segments at those events.
/// </summary>
internal static partial class TraceScenario
{
    /// <summary>What toolgridd is started with for this scenario, besides the usual.</summary>
    public static readonly string[] Arguments =
    [
        "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information",
        "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Transaction=Debug",
        "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
        "--Logging:Console:FormatterOptions:IncludeScopes=true",
    ];

    // EF Core's event ids (RelationalEventId): a command executed, a transaction being committed and committed.
    private const int CommandExecuted = 20101;
    private const int TransactionCommitting = 20210;
    private const int TransactionCommitted = 20202;

    // ASP.NET Core's hosting diagnostics: request starting, request finished.
    private const int RequestStarting = 1;
    private const int RequestFinished = 2;

    public static async Task<Trace> RunAsync(BenchContext context, int count, TimeSpan gap, CancellationToken cancellationToken)
    {
        var samples = await LatencyScenario.RunAsync(context, "trace", count, gap, "true", cancellationToken);
        var lines = context.Server.Log.Parsed();
        var cuts = samples.Select(s => Cut(s, lines)).OfType<Cuts>().ToList();

        Segment Of(string name, string what, Func<Cuts, double> ms) => new(name, what, Distribution.Of(cuts.Select(ms)));
        var segments = new List<Segment>
        {
            Of("request in", "client sends the POST → Kestrel logs the request (connect, parse)", c => Ms(c.Sent, c.RequestStarted)),
            Of("API checks and inserts", "authentication (SO_PEERCRED, user lookup), tool, queues, quota and duplicate queries, the two INSERTs", c => Ms(c.RequestStarted, c.ApiCommitting)),
            Of("API commit", "COMMIT of the job and its run: SQLite WAL write + fsync (synchronous=FULL)", c => Ms(c.ApiCommitting, c.ApiCommitted)),
            Of("controller wakes", "API commit → the supervisor loop's first query has run (wake, new DbContext, connection + PRAGMAs, query)", c => Ms(c.ApiCommitted, c.ControllerFirst)),
            Of("snapshot and decide", "the rest of the snapshot (5 queries), Supervisor.Decide, the SELECT before placing → the placing UPDATE has run", c => Ms(c.ControllerFirst, c.PlaceUpdate)),
            Of("place commit", "the UPDATE's commit (WAL fsync) → StartAsync's first query has run", c => Ms(c.PlaceUpdate, c.AfterPlace)),
            Of("start reads", "StartAsync's run, job and tool queries", c => Ms(c.AfterPlace, c.LastControllerCommand)),
            Of("run file", "LaunchFactory, user lookup, run file written + fdatasync, renameat2 → posix_spawn of the launcher", c => Ms(c.LastControllerCommand, c.LaunchBegun)),
            Of("launcher to startedAt", "launcher: exec, flock, spec, fork; shepherd: cgroups made, limits written", c => Ms(c.LaunchBegun, c.StartedAt)),
            Of("startedAt to exec and report", "job forked, joins cgroups, drops to the tool's user, opens its logs; started written + fsync; go; exec; launcher exits", c => Ms(c.StartedAt, c.LaunchEnded)),
            Of("(API answer)", "API commit → the 201 is written (read back the runs, serialize)", c => Ms(c.ApiCommitted, c.RequestFinished)),
        };
        return new Trace(
            cuts.Count,
            segments,
            Distribution.Of(cuts.Select(c => (double)c.ApiCommands)),
            Distribution.Of(cuts.Select(c => (double)c.ControllerCommands)),
            Distribution.Of(samples.Select(s => s.SubmitToStartMs)));
    }

    private static double Ms(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalMilliseconds;

    /// <summary>The events of one sample, found in the log; null when one is missing.</summary>
    private static Cuts? Cut(LatencySample sample, IReadOnlyList<LogLine> lines)
    {
        if (sample.Launch is not { } launch || sample.StartedAt is not { } startedAt)
        {
            return null;
        }

        var window = lines.Where(l => l.At >= sample.SentAt && l.At <= launch.Ended).ToList();
        var starting = window.FirstOrDefault(l => l.EventId == RequestStarting && l.Message.Contains("Request starting HTTP/1.1 POST", StringComparison.Ordinal));
        var requestId = starting is null ? null : RequestIdPattern().Match(starting.Message) is { Success: true } m ? m.Groups["id"].Value : null;
        if (requestId is null)
        {
            return null;
        }

        var api = lines.Where(l => l.At >= sample.SentAt && l.Message.Contains("RequestId:" + requestId + " ", StringComparison.Ordinal)).ToList();
        var committing = api.FirstOrDefault(l => l.EventId == TransactionCommitting);
        var committed = api.FirstOrDefault(l => l.EventId == TransactionCommitted);
        var finished = api.FirstOrDefault(l => l.EventId == RequestFinished);
        if (committing is null || committed is null || finished is null)
        {
            return null;
        }

        var controller = window.Where(l => l.At >= committed.At && l.EventId == CommandExecuted && !l.Message.Contains("RequestPath:", StringComparison.Ordinal) && l.At <= launch.Begun).ToList();
        var place = controller.FirstOrDefault(l => l.Message.Contains("UPDATE \"Runs\" SET \"Node\"", StringComparison.Ordinal));
        if (controller.Count == 0 || place is null)
        {
            return null;
        }

        var afterPlace = controller.FirstOrDefault(l => l.At > place.At);
        if (afterPlace is null)
        {
            return null;
        }

        return new Cuts(
            sample.SentAt,
            starting!.At,
            committing.At,
            committed.At,
            finished.At,
            controller[0].At,
            place.At,
            afterPlace.At,
            controller[^1].At,
            launch.Begun,
            startedAt,
            launch.Ended,
            api.Count(l => l.EventId == CommandExecuted && !l.Message.Contains("SAVEPOINT", StringComparison.Ordinal)),
            controller.Count);
    }

    [GeneratedRegex(@"RequestId:(?<id>\S+) ")]
    private static partial Regex RequestIdPattern();

    private sealed record Cuts(
        DateTimeOffset Sent,
        DateTimeOffset RequestStarted,
        DateTimeOffset ApiCommitting,
        DateTimeOffset ApiCommitted,
        DateTimeOffset RequestFinished,
        DateTimeOffset ControllerFirst,
        DateTimeOffset PlaceUpdate,
        DateTimeOffset AfterPlace,
        DateTimeOffset LastControllerCommand,
        DateTimeOffset LaunchBegun,
        DateTimeOffset StartedAt,
        DateTimeOffset LaunchEnded,
        int ApiCommands,
        int ControllerCommands);
}
