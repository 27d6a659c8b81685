using System.Globalization;

namespace Toolgrid.Bench;

/// <summary>The benchmark's command line. Defaults are the documented run (docs/benchmarks.md).</summary>
internal sealed record BenchOptions
{
    public int Samples { get; init; } = 200;

    public int ExecSamples { get; init; } = 40;

    /// <summary>Isolated submits through a new CLI process each, to the command's own clock (the peers' method).</summary>
    public int CliSamples { get; init; } = 100;

    public TimeSpan Gap { get; init; } = TimeSpan.FromMilliseconds(100);

    public int Jobs { get; init; } = 1000;

    public int WarmupJobs { get; init; } = 1000;

    public int Submitters { get; init; } = 4;

    public int Sleepers { get; init; } = 200;

    public int TraceSamples { get; init; } = 30;

    /// <summary>Measure a fresh toolgridd at rest first (<c>AtRestScenario</c>): 30 s more.</summary>
    public bool AtRest { get; init; } = true;

    /// <summary>Measure only that (<c>--at-rest-only</c>), e.g. to compare runtime settings given with <c>--server-env</c>.</summary>
    public bool AtRestOnly { get; init; }

    public TimeSpan FloorDuration { get; init; } = TimeSpan.FromSeconds(3);

    public bool FavorDynMods { get; init; }

    /// <summary>Run the supervision suite instead (continuous jobs and schedules), see <c>Supervision/SupervisionRun</c>.</summary>
    public bool Supervision { get; init; }

    public int RestartSamples { get; init; } = 100;

    /// <summary>Run the grid suite instead, on these engines (see <c>Grid/GridRun</c>).</summary>
    public IReadOnlyList<Grid.GridEngine> GridEngines { get; init; } = [];

    public int GridSamples { get; init; } = 30;

    public int GridJobs { get; init; } = 1000;

    /// <summary>Grid: the clusters and toolgridd with the node-loss tuning of the operator guide (<c>Grid/GridTuning</c>), not the defaults.</summary>
    public bool GridTuned { get; init; }

    public int ContinuousJobs { get; init; } = 500;

    public int Schedules { get; init; } = 1000;

    public int ScheduleTools { get; init; } = 50;

    /// <summary>Measure toolgridd's idle CPU instead, see <c>Supervision/IdleScenario</c>.</summary>
    public bool Idle { get; init; }

    public TimeSpan IdleDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Run the scale suite instead, see <c>Scale/ScaleRun</c>.</summary>
    public bool Scale { get; init; }

    public long ScaleRuns { get; init; } = 1_000_000;

    public int ScaleSamples { get; init; } = 300;

    public int ScaleStatusSamples { get; init; } = 20;

    public int ScaleStarts { get; init; } = 10;

    /// <summary>Then a trim under <c>RunHistoryDays</c> of this many days (0: none).</summary>
    public int ScaleTrimDays { get; init; } = 3;

    /// <summary>Only seed a new store at this path (the schema from the store's migrations) and stop: for measuring by hand.</summary>
    public string? ScaleSeedOnly { get; init; }

    /// <summary>The seeded tools' maintainer with <see cref="ScaleSeedOnly"/>: a Unix user of this host.</summary>
    public string ScaleMaintainer { get; init; } = "nobody";

    /// <summary>A further throughput round under <c>perf record</c>, for where the CPU goes (on when perf is installed).</summary>
    public bool Profile { get; init; } = true;

    /// <summary>Extra environment for toolgridd (<c>--server-env NAME=VALUE</c>), for experiments such as the runtime's JIT settings.</summary>
    public IReadOnlyList<string> ServerEnvironment { get; init; } = [];

    public string? Toolgridd { get; init; }

    public string? Toolgrid { get; init; }

    public string? Docs { get; init; }

    public bool WriteDocs { get; init; } = true;

    public string? Output { get; init; }

    public const string Usage = """
        toolgrid-bench: the machine's fork+exec floor, then a real toolgridd's submit-to-start
        latency, sustained throughput and shepherd memory, in one run. Needs root.

        Usage: toolgrid-bench [options]     (normally through: sudo bench/run.sh)

          --samples N          isolated submits of `true` for the latency (default 200)
          --exec-samples N     isolated submits of `exec date +%s%N`, to see the real exec (default 40)
          --cli-samples N      isolated submits of `exec date +%s%N` through a new `toolgrid jobs run`
                               process each, to the command's own clock, nothing subtracted: how the
                               grid engines are measured (default 100; 0: skip)
          --gap-ms N           pause between isolated submits (default 100)
          --jobs N             jobs for the sustained throughput (default 1000)
          --warmup-jobs N      jobs run first, as fast as they go, so that the figures are those of a
                               warm toolgridd (JIT-compiled, tiered up); reported too (default 1000)
          --submitters N       concurrent submitters for throughput and memory (default 4)
          --sleepers N         sleeping runs for the memory figure (default 200)
          --trace-samples N    isolated submits with EF Core and ASP.NET logging on, for the
                               breakdown of the API and controller share (default 30; 0: skip)
          --no-at-rest         skip the first figure: a fresh toolgridd with every role on TCP, left
                               alone for 30 s (its VmRSS and idle CPU)
          --at-rest-only       measure only that (about a minute) and print it; with --server-env
                               to compare the runtime's settings, e.g. DOTNET_gcServer=1
          --floor-seconds N    how long each fork+exec floor loop runs (default 3)
          --favordynmods       also measure with cgroup v1 favordynmods on (mounts an empty named
                               hierarchy; on Linux 6.18 part of it stays on until reboot)
          --no-profile         skip the extra throughput round under `perf record -g` that says
                               where the CPU goes (toolgridd runs with DOTNET_PerfMapEnabled=1
                               for it; done only when /usr/bin/perf exists)
          --server-env N=V     an environment variable for toolgridd (repeatable), e.g.
                               DOTNET_TieredPGO=0, for experiments; the report names them
          --supervision        run the supervision suite instead: first-restart latency of continuous
                               jobs, memory and SIGKILL re-adoption of many continuous jobs, and
                               schedules all due on one minute (its own section of the docs)
          --restart-samples N  supervision: isolated first restarts (default 100)
          --continuous N       supervision: continuous jobs up at once (default 500)
          --schedules N        supervision: scheduled jobs due on one minute (default 1000)
          --schedule-tools N   supervision: tools the schedules are spread over (default 50)
          --grid ENGINE        run the grid suite instead, on a test cluster of ENGINE (sge or slurm;
                               repeatable): Toolgrid on it against the engine alone, interleaved (its
                               own section of the docs)
          --grid-samples N     grid: isolated submits each of Toolgrid and the engine (default 30)
          --grid-jobs N        grid: jobs for the throughput of each (default 1000; 0: skip)
          --grid-tuned         grid: the clusters and toolgridd tuned for node loss as the operator
                               guide says ("Tuning fault detection"), not the defaults
          --idle               measure toolgridd's idle CPU instead: --schedules daily scheduled jobs
                               (none due) and --continuous continuous jobs running, nothing changing
          --idle-seconds N     idle: how long the CPU is measured, in 10 s windows (default 40)
          --scale              run the scale suite instead: a store seeded with 3,000 tools, 10,000 jobs,
                               1,000 web services and --scale-runs runs; the API's answers to a
                               maintainer, the status pages, a route change through the proxy,
                               toolgridd's memory and idle CPU, a trim (its own section of the docs)
          --scale-runs N       scale: runs of history seeded (default 1000000)
          --scale-samples N    scale: requests of each kind to the API (default 300)
          --scale-status-samples N  scale: status page reads after its cache expired (default 20)
          --scale-starts N     scale: starts of the web service for the route change (default 10)
          --scale-trim-days N  scale: then restart toolgridd with RunHistoryDays=N and measure its
                               trim (default 3; 0: skip)
          --scale-seed-only FILE  scale: only seed a new store at FILE (schema from the store's
                               migrations), keep it and stop, to start toolgridd on it by hand
          --scale-maintainer USER  scale: the seeded tools' maintainer with --scale-seed-only
                               (default nobody)
          --toolgridd PATH     toolgridd to run (default artifacts/publish/bench-toolgridd/toolgridd)
          --toolgrid PATH      the CLI for --cli-samples (default: toolgrid beside toolgridd)
          --docs PATH          where to write the results section (default docs/benchmarks.md)
          --no-docs            print the results only
          --output DIR         logs and raw results (default artifacts/bench)
        """;

    public static BenchOptions Parse(string[] args, out string? error)
    {
        var options = new BenchOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value");
            int Count() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            try
            {
                options = name switch
                {
                    "--samples" => options with { Samples = Count() },
                    "--exec-samples" => options with { ExecSamples = Count() },
                    "--cli-samples" => options with { CliSamples = Count() },
                    "--gap-ms" => options with { Gap = TimeSpan.FromMilliseconds(Count()) },
                    "--jobs" => options with { Jobs = Count() },
                    "--warmup-jobs" => options with { WarmupJobs = Count() },
                    "--submitters" => options with { Submitters = Math.Max(1, Count()) },
                    "--sleepers" => options with { Sleepers = Count() },
                    "--trace-samples" => options with { TraceSamples = Count() },
                    "--floor-seconds" => options with { FloorDuration = TimeSpan.FromSeconds(Count()) },
                    "--favordynmods" => options with { FavorDynMods = true },
                    "--no-profile" => options with { Profile = false },
                    "--no-at-rest" => options with { AtRest = false },
                    "--at-rest-only" => options with { AtRestOnly = true, WriteDocs = false },
                    "--server-env" => options with { ServerEnvironment = [.. options.ServerEnvironment, Value()] },
                    "--supervision" => options with { Supervision = true },
                    "--restart-samples" => options with { RestartSamples = Count() },
                    "--continuous" => options with { ContinuousJobs = Count() },
                    "--schedules" => options with { Schedules = Count() },
                    "--schedule-tools" => options with { ScheduleTools = Count() },
                    "--grid" => options with { GridEngines = [.. options.GridEngines, Grid.GridEngine.Named(Value()) ?? throw new FormatException($"--grid: no engine '{args[i]}' (sge or slurm)")] },
                    "--grid-samples" => options with { GridSamples = Count() },
                    "--grid-jobs" => options with { GridJobs = Count() },
                    "--grid-tuned" => options with { GridTuned = true },
                    "--idle" => options with { Idle = true },
                    "--scale" => options with { Scale = true, IdleDuration = TimeSpan.FromSeconds(30) },
                    "--scale-runs" => options with { ScaleRuns = Count() },
                    "--scale-samples" => options with { ScaleSamples = Math.Max(1, Count()) },
                    "--scale-status-samples" => options with { ScaleStatusSamples = Math.Max(1, Count()) },
                    "--scale-starts" => options with { ScaleStarts = Math.Max(1, Count()) },
                    "--scale-trim-days" => options with { ScaleTrimDays = Count() },
                    "--scale-seed-only" => options with { Scale = true, ScaleSeedOnly = Value() },
                    "--scale-maintainer" => options with { ScaleMaintainer = Value() },
                    "--idle-seconds" => options with { IdleDuration = TimeSpan.FromSeconds(Count()) },
                    "--toolgridd" => options with { Toolgridd = Value() },
                    "--toolgrid" => options with { Toolgrid = Value() },
                    "--docs" => options with { Docs = Value() },
                    "--no-docs" => options with { WriteDocs = false },
                    "--output" => options with { Output = Value() },
                    _ => throw new FormatException($"unknown option '{name}'"),
                };
            }
            catch (FormatException e)
            {
                error = e.Message;
                return options;
            }
            catch (OverflowException e)
            {
                error = $"{name}: {e.Message}";
                return options;
            }
        }

        return options;
    }
}
