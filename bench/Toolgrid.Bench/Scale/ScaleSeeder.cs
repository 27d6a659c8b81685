using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;
using Toolgrid.Store;

namespace Toolgrid.Bench.Scale;

/// <summary>
/// Fills a stopped toolgridd's store with a large site: tools, their maintainer, scheduled,
/// continuous, one-off and web service jobs, and a history of ended runs, written straight into
/// the SQLite file (bulk INSERTs in transactions of <see cref="RowsPerTransaction"/> rows), never
/// through the API. Deterministic: the same figures give the same store.
/// </summary>
/// <remarks>
/// What runs: nothing of the seeded tools. Their Unix users and homes are not made (toolgridd
/// does not need them to start: it leaves a missing home missing, and gives 'become' rules only to
/// tools whose users exist). Their scheduled jobs are daily, due 2 to 22 hours after the seed,
/// so none falls due while measured. Each continuous job and web service has one run queued that
/// asks for <see cref="HeldMemoryBytes"/>, more than the bench's node is given
/// (<see cref="NodeMemoryBytes"/>): the controller keeps it queued, waiting for room, at every
/// pass, as it would on a full site. Ended runs are spread over the last 6.5 days, inside the
/// default history rule (100 runs, 7 days), so the controller's trim keeps them all.
/// </remarks>
internal sealed class ScaleSeeder(ScaleShape shape, string person, string node, DateTimeOffset now)
{
    /// <summary>What the seeded continuous jobs and web services ask for: 4 GiB, the default ceiling per job.</summary>
    public const long HeldMemoryBytes = 4L << 30;

    /// <summary>The bench's node: room for the bench's own web service, never for a held run.</summary>
    public const long NodeMemoryBytes = 3L << 30;

    private const int RowsPerTransaction = 50_000;

    private readonly Random _random = new(20261205);

    public static string ToolName(int i) => string.Create(CultureInfo.InvariantCulture, $"scale-{i:D4}");

    /// <summary>Writes the site into the store at <paramref name="storePath"/>, whose schema toolgridd made.</summary>
    public ScaleSeedResult Seed(string storePath)
    {
        var begun = TimeProvider.System.GetTimestamp();
        var options = new DbContextOptionsBuilder<ToolgridDbContext>();
        SqliteStore.Configure(options, new StoreOptions { Path = storePath });
        using var model = new ToolgridDbContext(options.Options);
        using var connection = new SqliteConnection(SqliteStore.ConnectionString(new StoreOptions { Path = storePath }));
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // A bench's seed: a crash during it is a failed run, not a lost store.
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }

        var nextJob = NextId(connection, "Jobs");
        var nextRun = NextId(connection, "Runs");
        var tools = Enumerable.Range(1, shape.Tools).Select(NewTool).ToList();
        Insert(model, connection, tools);
        Insert(model, connection, tools.Select(t => new Maintainer { ToolName = t.Name, UserName = person, AddedAt = t.CreatedAt, AddedBy = person }));

        var jobs = new List<Job>();
        for (var i = 0; i < shape.Jobs + shape.Webservices; i++)
        {
            jobs.Add(NewJob(nextJob++, i, tools));
        }

        Insert(model, connection, jobs);
        var runs = 0L;
        Insert(model, connection, jobs.SelectMany(j => RunsOf(j, () => nextRun++)).Select(r => { runs++; return r; }));
        return new ScaleSeedResult(tools.Count, jobs.Count, runs, TimeProvider.System.GetElapsedTime(begun));
    }

    private static long NextId(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    private static void Insert<T>(ToolgridDbContext model, SqliteConnection connection, IEnumerable<T> rows)
        where T : class
    {
        using var enumerator = rows.GetEnumerator();
        var more = enumerator.MoveNext();
        while (more)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = new BulkInsert<T>(model, connection, transaction);
            for (var n = 0; more && n < RowsPerTransaction; n++)
            {
                insert.Add(enumerator.Current);
                more = enumerator.MoveNext();
            }

            transaction.Commit();
        }
    }

    private Tool NewTool(int i) => new()
    {
        Name = ToolName(i),
        Description = "seeded by toolgrid-bench --scale",
        UnixUser = "tools." + ToolName(i),
        Uid = 1_000_000 + i,
        Gid = 1_000_000 + i,
        Home = "/nonexistent/" + ToolName(i),
        CreatedAt = now.AddDays(-400),
        CreatedBy = person,
    };

    /// <summary>Job <paramref name="i"/>: scheduled, continuous, one-off, then web services (one per tool, from the first).</summary>
    private Job NewJob(long id, int i, List<Tool> tools)
    {
        var webservice = i >= shape.Jobs;
        var tool = webservice ? tools[(i - shape.Jobs) % tools.Count] : tools[i % tools.Count];
        var kind = webservice || i >= shape.Scheduled && i < shape.Scheduled + shape.Continuous ? JobKind.Continuous
            : i < shape.Scheduled ? JobKind.Scheduled : JobKind.OneOff;
        var name = webservice ? "webservice" : string.Create(CultureInfo.InvariantCulture, $"{JobWord(kind)}-{i:D5}");
        var job = new Job
        {
            Id = id,
            ToolName = tool.Name,
            Name = name,
            Kind = kind,
            Command = webservice ? "exec python3 -m http.server --bind \"$HOST\" \"$PORT\"" : "./" + name + ".sh",
            MemoryBytes = kind == JobKind.Continuous ? HeldMemoryBytes : 512L << 20,
            CpuMillis = 500,
            CreatedAt = now.AddDays(-30),
            CreatedBy = person,
            UpdatedAt = now.AddDays(-30),
            Version = 1,
        };
        if (kind == JobKind.Scheduled)
        {
            var due = now.AddMinutes(120 + _random.Next(20 * 60));
            job.Schedule = string.Create(CultureInfo.InvariantCulture, $"{due.Minute} {due.Hour} * * *");
            job.TimeZone = "UTC";
            job.NextDueAt = new DateTimeOffset(due.Year, due.Month, due.Day, due.Hour, due.Minute, 0, TimeSpan.Zero);
            job.LastDueAt = job.NextDueAt.Value.AddDays(-1);
        }

        if (webservice)
        {
            job.Webservice = WebserviceType.Generic;
            job.UsesPort = true;
            job.HealthCheckHttpPath = "/";
        }

        return job;
    }

    private static string JobWord(JobKind kind) => kind switch
    {
        JobKind.Scheduled => "cron",
        JobKind.Continuous => "bot",
        _ => "task",
    };

    /// <summary>The job's history, oldest first, spread over the last 6.5 days; a continuous job's last run is queued (held).</summary>
    private IEnumerable<Run> RunsOf(Job job, Func<long> nextId)
    {
        var ended = job.Webservice is not null ? shape.RunsPerWebservice - 1
            : job.Kind == JobKind.Continuous ? shape.RunsPerContinuous - 1
            : job.Kind == JobKind.Scheduled ? shape.RunsPerScheduled : shape.RunsPerOneOff;
        var span = TimeSpan.FromDays(6.5);
        for (var k = 0; k < ended; k++)
        {
            var submitted = now - span + (span * k / ended) + TimeSpan.FromSeconds(_random.Next(60));
            var roll = _random.Next(100);
            var (state, reason, exit) = roll switch
            {
                < 90 => (RunState.Succeeded, RunReason.Exited, (int?)0),
                < 97 => (RunState.Failed, RunReason.Exited, 1),
                < 99 => (RunState.Killed, RunReason.Stopped, null),
                _ => (RunState.Lost, RunReason.Vanished, null),
            };
            yield return new Run
            {
                Id = nextId(),
                JobId = job.Id,
                ToolName = job.ToolName,
                JobName = job.Name,
                State = state,
                Reason = reason,
                ExitCode = exit,
                Node = node,
                Command = job.Command,
                MemoryBytes = job.MemoryBytes,
                CpuMillis = job.CpuMillis,
                SubmittedAt = submitted,
                StartedAt = submitted.AddMilliseconds(20),
                FinishedAt = submitted.AddSeconds(5 + _random.Next(600)),
                DueAt = job.Kind == JobKind.Scheduled ? submitted : null,
                Version = 1,
            };
        }

        if (job.Kind == JobKind.Continuous)
        {
            yield return new Run
            {
                Id = nextId(),
                JobId = job.Id,
                ToolName = job.ToolName,
                JobName = job.Name,
                State = RunState.Queued,
                Reason = RunReason.Restarted,
                Command = job.Command,
                MemoryBytes = job.MemoryBytes,
                CpuMillis = job.CpuMillis,
                SubmittedAt = now.AddMinutes(-5),
                Version = 1,
            };
        }
    }
}
