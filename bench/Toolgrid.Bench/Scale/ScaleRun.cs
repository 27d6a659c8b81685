using System.Globalization;
using Microsoft.Data.Sqlite;
using Toolgrid.Bench.Machine;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Scale;

/// <summary>
/// The scale suite (<c>--scale</c>): a real toolgridd on a store seeded with a large site
/// (<see cref="ScaleSeeder"/>: 3,000 tools, 10,000 jobs, 1,000 web services, 1,000,000 runs of
/// history), measured as its users meet it: the API's answers to a maintainer, the status pages,
/// a web service's route change through the proxy, toolgridd's memory and idle CPU, and a trim of
/// the history under a stricter rule. Everything it made is removed at the end, even on failure.
/// </summary>
internal sealed class ScaleRun(BenchOptions options, string repositoryRoot)
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);
    private readonly TimeProvider _time = TimeProvider.System;
    private BenchNames _names = null!;

    public string Toolgridd => options.Toolgridd ?? Path.Combine(repositoryRoot, "artifacts", "publish", "bench-toolgridd", "toolgridd");

    public string OutputDirectory => options.Output ?? Path.Combine(repositoryRoot, "artifacts", "bench");

    public async Task<ScaleResults> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Toolgridd))
        {
            throw new FileNotFoundException($"no toolgridd at {Toolgridd}: run bench/run.sh, which publishes it, or give --toolgridd PATH");
        }

        var begun = _time.GetTimestamp();
        Directory.CreateDirectory(OutputDirectory);

        // Leftovers of dead runs go first; those of runs still going on this host stay.
        var claim = await RunClaim.TakeAsync(cancellationToken);
        _names = claim.Names;
        Progress($"run {_names.Id}: {_names.Root}, Unix users {_names.UnixUserPrefix}* and {_names.PersonName} (uid {_names.PersonUid}), cgroup parent {_names.CgroupParent}");
        var results = new ScaleResults { Date = _time.GetUtcNow(), Machine = MachineInfo.Detect(_names.Root), Options = options, Shape = ScaleShape.WithRuns(options.ScaleRuns) };
        try
        {
            Progress($"machine: {results.Machine.Describe()}");
            await MeasureAsync(results, cancellationToken);
        }
        finally
        {
            Progress("cleaning up");
            await claim.DisposeAsync();
        }

        results.Elapsed = _time.GetElapsedTime(begun);
        return results;
    }

    private async Task MeasureAsync(ScaleResults results, CancellationToken cancellationToken)
    {
        var log = Path.Combine(OutputDirectory, "toolgridd-scale.log");
        File.Delete(log);
        await using var server = new BenchServer(_names, _names.Root, Toolgridd, log, options.ServerEnvironment);
        string[] arguments = [string.Create(CultureInfo.InvariantCulture, $"--Toolgrid:Local:MemoryBytes={ScaleSeeder.NodeMemoryBytes}")];

        await MakePersonAsync(cancellationToken);

        // The schema is toolgridd's own (its migrations, at start); the bench tool is made through
        // the API, with a real Unix user, for the one web service that runs.
        Progress("toolgridd: first start, on an empty store");
        await server.StartAsync(arguments, cancellationToken, asDeployed: true);
        string node;
        using (var admin = server.CreateClient())
        {
            await admin.CreateToolAsync(new ToolCreateRequest { Name = _names.Tool, Description = "toolgrid-bench --scale" }, cancellationToken);
            await admin.AddMaintainerAsync(_names.Tool, _names.PersonName, cancellationToken);
            node = (await admin.GetStatusAsync(cancellationToken)).Nodes.Single().Name;
        }

        await server.StopAsync();
        var store = Path.Combine(server.StateDirectory, "toolgrid.db");
        var shape = results.Shape;
        Progress($"seed: {shape.Tools} tools, {shape.Jobs} jobs ({shape.Scheduled} scheduled, {shape.Continuous} continuous, {shape.OneOff} one-off), {shape.Webservices} web services, {shape.Runs} runs, into {store}");
        results.Seed = new ScaleSeeder(shape, _names.PersonName, node, _time.GetUtcNow()).Seed(store);
        results.StoreBytes = StoreBytes(store);
        Progress(string.Create(CultureInfo.InvariantCulture, $"  {results.Seed.Runs} runs in {results.Seed.Elapsed.TotalSeconds:0.0} s; the store is {results.StoreBytes / (1024 * 1024)} MiB"));

        results.Load = (LoadAverage(), 0);
        Progress("toolgridd: starting it on the seeded store");
        var start = _time.GetTimestamp();
        await server.StartAsync(arguments, cancellationToken, asDeployed: true);
        results.StartUp = _time.GetElapsedTime(start);
        Progress($"  up in {results.StartUp.TotalSeconds:0.0} s");

        using var admin2 = server.CreateClient();
        using var maintainer = new MaintainerConnection(server.Socket, _names.PersonUid, _names.PersonUid);
        var whoami = await maintainer.Client.WhoAmIAsync(cancellationToken);
        if (whoami.User != _names.PersonName || whoami.Admin)
        {
            throw new InvalidOperationException($"the API took the bench's maintainer connection for {whoami.User} (admin: {whoami.Admin}), not {_names.PersonName}");
        }

        // The controller's first pass has seen every held run (it reads them all at each pass).
        await WaitAsync(async () => (await admin2.GetStatusAsync(cancellationToken)).Runs.GetValueOrDefault("queued") >= shape.Continuous + shape.Webservices, "the held runs to be seen", cancellationToken);

        await MeasureApiAsync(results, maintainer.Client, server, cancellationToken);
        await MeasureRoutesAsync(results, maintainer.Client, server, cancellationToken);
        await MeasureIdleAsync(results, admin2, server, cancellationToken);
        results.Load = (results.Load.Begin, LoadAverage());

        if (options.ScaleTrimDays > 0)
        {
            await MeasureTrimAsync(results, server, arguments, store, cancellationToken);
        }

        await server.StopAsync();
    }

    private async Task MeasureApiAsync(ScaleResults results, ToolgridClient client, BenchServer server, CancellationToken cancellationToken)
    {
        var shape = results.Shape;
        var random = new Random(7);
        var list = new List<double>();
        var show = new List<double>();
        var status = new List<double>();
        var warmup = Math.Min(50, options.ScaleSamples);
        Progress($"API as {_names.PersonName}: {options.ScaleSamples} each of jobs list, jobs show and status, {Gap.TotalMilliseconds:0} ms apart, after {warmup} of each not counted");
        for (var i = -warmup; i < options.ScaleSamples; i++)
        {
            var tool = ScaleSeeder.ToolName(1 + random.Next(shape.Tools));
            var scheduled = random.Next(shape.Scheduled);
            var owner = ScaleSeeder.ToolName(1 + (scheduled % shape.Tools));
            var job = string.Create(CultureInfo.InvariantCulture, $"cron-{scheduled:D5}");
            var a = await TimeAsync(() => client.ListJobsAsync(tool, cancellationToken));
            var b = await TimeAsync(() => client.GetJobAsync(owner, job, cancellationToken));
            var c = await TimeAsync(() => client.GetStatusAsync(cancellationToken));
            if (i >= 0)
            {
                list.Add(a);
                show.Add(b);
                status.Add(c);
            }

            await Task.Delay(Gap, _time, cancellationToken);
        }

        results.JobsList = Distribution.Of(list);
        results.JobShow = Distribution.Of(show);
        results.ApiStatus = Distribution.Of(status);
        Progress($"  jobs list {results.JobsList.Describe()} ms; jobs show {results.JobShow.Describe()} ms; status {results.ApiStatus.Describe()} ms");

        var page = new Uri(server.ProxyUrl + "/");
        using var http = new HttpClient();
        var fresh = new List<double>();
        var cached = new List<double>();
        Progress($"status page: {page}, {options.ScaleStatusSamples} reads each after its cache expired, each followed by one from the cache");
        for (var i = -2; i < options.ScaleStatusSamples; i++)
        {
            // StatusCacheDuration is 2 s: past it, the page starts a read of the store behind the visitor.
            await Task.Delay(TimeSpan.FromMilliseconds(2100), _time, cancellationToken);
            var a = await TimeAsync(() => GetOkAsync(http, page, cancellationToken));
            var b = await TimeAsync(() => GetOkAsync(http, page, cancellationToken));
            if (i >= 0)
            {
                fresh.Add(a);
                cached.Add(b);
            }
        }

        results.StatusPage = Distribution.Of(fresh);
        results.StatusPageCached = Distribution.Of(cached);
        Progress($"  read from the store {results.StatusPage.Describe()} ms; from its cache {results.StatusPageCached.Describe()} ms");
    }

    private async Task MeasureRoutesAsync(ScaleResults results, ToolgridClient client, BenchServer server, CancellationToken cancellationToken)
    {
        var tool = _names.Tool;
        var url = new Uri($"{server.ProxyUrl}/{tool}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var request = new WebserviceStartRequest
        {
            Type = "generic",
            Mem = "256Mi",
            Cpu = "500m",
            Command = "mkdir -p ws && echo tgbench-replica > ws/index.html && exec python3 -m http.server --bind \"$HOST\" --directory ws \"$PORT\"",
        };
        var route = new List<double>();
        var up = new List<double>();
        Progress($"route change: {options.ScaleStarts + 1} starts of {tool}'s web service (python3 -m http.server), the first not counted; {url} polled every 5 ms");
        for (var i = -1; i < options.ScaleStarts; i++)
        {
            var asked = _time.GetUtcNow();
            await client.StartWebserviceAsync(tool, request, cancellationToken);
            var answered = await FirstReplicaAnswerAsync(http, url, cancellationToken);
            var view = await client.GetJobAsync(tool, "webservice", cancellationToken);
            var ready = view.Runs.Where(r => r.ReadyAt is not null).MaxBy(r => r.Id)?.ReadyAt
                ?? throw new InvalidOperationException("the web service answered through the proxy, but its run has no readyAt");
            if (i >= 0)
            {
                route.Add((answered - ready).TotalMilliseconds);
                up.Add((answered - asked).TotalMilliseconds);
            }

            Progress(string.Create(CultureInfo.InvariantCulture, $"  start {i + 2}: ready → first answer {(answered - ready).TotalMilliseconds:0} ms, start → first answer {(answered - asked).TotalMilliseconds:0} ms"));
            await client.StopWebserviceAsync(tool, cancellationToken);
            await WaitAsync(async () => !await IsReplicaAsync(http, url, cancellationToken) && await GoneAsync(client, tool, cancellationToken), "the web service to stop", cancellationToken);
        }

        results.RouteChange = Distribution.Of(route);
        results.WebserviceStart = Distribution.Of(up);
    }

    private async Task MeasureIdleAsync(ScaleResults results, ToolgridClient admin, BenchServer server, CancellationToken cancellationToken)
    {
        Progress("idle: 20 s to settle, then toolgridd's CPU in windows of 10 s");
        await Task.Delay(TimeSpan.FromSeconds(20), _time, cancellationToken);
        results.ServerRssIdleBytes = ProcFs.StatusBytes(server.Pid, "VmRSS") ?? 0;
        var windows = new List<double>();
        for (var i = 0; i < Math.Max(1, (int)Math.Round(options.IdleDuration / IdleWindow)); i++)
        {
            var cpu = ProcFs.CpuSeconds(server.Pid);
            var begun = _time.GetTimestamp();
            await Task.Delay(IdleWindow, _time, cancellationToken);
            windows.Add(1000 * (ProcFs.CpuSeconds(server.Pid) - cpu) / _time.GetElapsedTime(begun).TotalSeconds);
            Progress(string.Create(CultureInfo.InvariantCulture, $"  window {i + 1}: {windows[^1]:0.0} ms CPU per s"));
        }

        results.IdleCpu = windows;
        results.ServerRssBytes = Math.Max(results.ServerRssBytes, ProcFs.StatusBytes(server.Pid, "VmHWM") ?? 0);
        results.RunStates = (await admin.GetStatusAsync(cancellationToken)).Runs;
    }

    private async Task MeasureTrimAsync(ScaleResults results, BenchServer server, string[] arguments, string store, CancellationToken cancellationToken)
    {
        await server.StopAsync();
        var before = CountRuns(store);
        var days = options.ScaleTrimDays;
        Progress($"trim: toolgridd restarted with RunHistoryDays={days}; jobs show as {_names.PersonName} every 50 ms until the trim's log line");
        var begun = _time.GetTimestamp();
        await server.StartAsync([.. arguments, string.Create(CultureInfo.InvariantCulture, $"--Toolgrid:Controller:RunHistoryDays={days}")], cancellationToken, asDeployed: true);
        using var maintainer = new MaintainerConnection(server.Socket, _names.PersonUid, _names.PersonUid);
        var during = new List<double>();
        var random = new Random(11);
        string? line = null;
        while ((line = server.Log.Text.Split('\n').FirstOrDefault(l => l.Contains("Trimmed the history", StringComparison.Ordinal))) is null)
        {
            if (_time.GetElapsedTime(begun) > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("toolgridd did not trim the history within 10 minutes of its start");
            }

            var scheduled = random.Next(results.Shape.Scheduled);
            during.Add(await TimeAsync(() => maintainer.Client.GetJobAsync(ScaleSeeder.ToolName(1 + (scheduled % results.Shape.Tools)), string.Create(CultureInfo.InvariantCulture, $"cron-{scheduled:D5}"), cancellationToken)));
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        var elapsed = _time.GetElapsedTime(begun);
        results.Trim = new ScaleTrimResult(days, line.Trim(), before, CountRuns(store), Distribution.Of(during), elapsed);
        Progress($"  {line.Trim()}");
        Progress($"  jobs show meanwhile: {results.Trim.JobShowDuring.Describe()} ms");
    }

    private async Task MakePersonAsync(CancellationToken cancellationToken)
    {
        var uid = _names.PersonUid.ToString(CultureInfo.InvariantCulture);
        if ((await ExternalCommand.RunAsync("getent", ["passwd", uid], cancellationToken)).ExitCode == 0
            || (await ExternalCommand.RunAsync("getent", ["group", uid], cancellationToken)).ExitCode == 0)
        {
            throw new InvalidOperationException($"uid or gid {uid}, the bench's maintainer for slot {_names.Slot}, is taken on this host: remove that account or group, or wait for the run that made it to end");
        }

        foreach (var (program, args) in new (string, string[])[]
        {
            ("groupadd", ["--gid", uid, _names.PersonName]),
            ("useradd", ["--no-create-home", "--uid", uid, "--gid", uid, "--shell", "/usr/sbin/nologin", "--comment", "toolgrid-bench maintainer", _names.PersonName]),
        })
        {
            var (exit, output) = await ExternalCommand.RunAsync(program, args, cancellationToken);
            if (exit != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({exit}): {output}");
            }
        }
    }

    private async Task<DateTimeOffset> FirstReplicaAnswerAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        var begun = _time.GetTimestamp();
        while (!await IsReplicaAsync(http, url, cancellationToken))
        {
            if (_time.GetElapsedTime(begun) > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{url} did not answer from the web service within 2 minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken);
        }

        return _time.GetUtcNow();
    }

    /// <summary>Whether the proxy answers <paramref name="url"/> with the replica's own page (not the tool's default page).</summary>
    private static async Task<bool> IsReplicaAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var answer = await http.GetAsync(url, cancellationToken);
            return answer.IsSuccessStatusCode && (await answer.Content.ReadAsStringAsync(cancellationToken)).Contains("tgbench-replica", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Whether the stopped web service's job is gone (it is purged once its runs have ended).</summary>
    private static async Task<bool> GoneAsync(ToolgridClient client, string tool, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetJobAsync(tool, "webservice", cancellationToken)).Runs.All(r => r.State is not ("queued" or "starting" or "running"));
        }
        catch (ToolgridApiException)
        {
            return true;
        }
    }

    private static async Task GetOkAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var answer = await http.GetAsync(url, cancellationToken);
        answer.EnsureSuccessStatusCode();
        _ = await answer.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<double> TimeAsync(Func<Task> request)
    {
        var begun = _time.GetTimestamp();
        await request();
        return _time.GetElapsedTime(begun).TotalMilliseconds;
    }

    private async Task WaitAsync(Func<Task<bool>> done, string what, CancellationToken cancellationToken)
    {
        var begun = _time.GetTimestamp();
        while (!await done())
        {
            if (_time.GetElapsedTime(begun) > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"waited 3 minutes for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
        }
    }

    private static long CountRuns(string store)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"Runs\"";
        return (long)command.ExecuteScalar()!;
    }

    private static long StoreBytes(string store) =>
        new[] { store, store + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static void Progress(string text) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"toolgrid-bench: {text}"));
}
