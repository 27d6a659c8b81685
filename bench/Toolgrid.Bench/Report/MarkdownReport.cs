using System.Globalization;
using System.Text;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Report;

/// <summary>The results as Markdown: the figures against their targets, the floor they are compared with, and the breakdowns that say what limits them.</summary>
internal static class MarkdownReport
{
    private const double Mib = 1024 * 1024;

    /// <summary>CPU milliseconds per run of the whole platform (toolgridd, launchers, shepherds, commands), or of toolgridd alone where that is all that was measured.</summary>
    public static double CpuPerRunMs(Scenarios.ThroughputResult t) => 1000 * (t.Cpu.PlatformSeconds ?? t.Cpu.ServerSeconds) / t.Jobs;

    public static string Write(BenchResults r)
    {
        var md = new StringBuilder();
        var latency = Distribution.Of(r.Latency.Select(s => s.SubmitToStartMs));
        var serverLatency = Distribution.Of(r.Latency.Select(s => s.ServerSubmitToStartMs));
        var exec = Distribution.Of(r.Exec.Select(s => s.SubmitToExecMs));
        var cli = Distribution.Of(r.Cli.Select(s => s.SubmitToExecMs));
        var cliLife = Distribution.Of(r.Cli.Select(s => s.CliMs));
        var sequential = r.Floor.FirstOrDefault(f => f.How.Contains("1 at a time", StringComparison.Ordinal) && f.How.StartsWith("posix_spawn", StringComparison.Ordinal));

        Line(md, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC in {r.Elapsed.TotalMinutes:0.0} min on {r.Machine.Describe()}.");
        Line(md, $"Reproduce: `sudo bench/run.sh` (options: `sudo bench/run.sh --help`).");
        Line(md, "");
        Line(md, "| Figure | Measured | Target | Met |");
        Line(md, "|---|---|---|---|");
        if (cli.Count > 0)
        {
            Line(md, $"| **Submit-to-exec p50, as the grid engines are measured** (a new `toolgrid jobs run` process per submit → the command's own clock, `exec date +%s%N`, nothing subtracted; {cli.Count} isolated submits) | {cli.P50:0.0} ms | ≤ 15 ms | {Met(cli.P50 <= 15)} |");
            Line(md, $"| **… p99** | {cli.P99:0.0} ms | ≤ 40 ms | {Met(cli.P99 <= 40)} |");
            Line(md, $"| … of which the CLI process itself (started → exited with the job accepted) p50 / p99 | {cliLife.P50:0.0} / {cliLife.P99:0.0} ms | | |");
        }

        Line(md, $"| Submit-to-start p50 (client's POST → run's `startedAt`, {latency.Count} isolated submits of `true`) | {latency.P50:0.0} ms | ≤ 20 ms | {Met(latency.P50 <= 20)} |");
        Line(md, $"| Submit-to-start p99 | {latency.P99:0.0} ms | ≤ 100 ms | {Met(latency.P99 <= 100)} |");
        Line(md, $"| Server side: `startedAt − submittedAt` p50 / p99 | {serverLatency.P50:0.0} / {serverLatency.P99:0.0} ms | | |");
        Line(md, $"| Submit-to-exec p50 / p99 (the command's own clock, `exec date +%s%N`, {exec.Count} submits) | {exec.P50:0.0} / {exec.P99:0.0} ms | | |");
        if (r.Throughput is { } t)
        {
            Line(md, $"| Sustained throughput, runs finished/s (first POST → last `finishedAt`, {t.Jobs} jobs, {t.Submitters} submitters) | {t.FinishPerSecond:0.0} /s | ≥ 100 /s | {Met(t.FinishPerSecond >= 100)} |");
            Line(md, $"| … runs started/s (first POST → last `startedAt`) / steady finish rate (p10–p90 of `finishedAt`) | {t.StartPerSecond:0.0} / {t.SteadyFinishPerSecond:0.0} /s | | |");
            Line(md, $"| … as a share of the fork+exec floor (`sh -c true`, {r.Machine.Cores} at a time: {r.FloorPerSecond:0} /s) | {t.FinishPerSecond / r.FloorPerSecond:P1} | | |");
            Line(md, $"| … CPU per run: the platform (toolgridd, launchers, shepherds, commands) / toolgridd alone | {CpuPerRunMs(t):0.0} / {1000 * t.Cpu.ServerSeconds / t.Jobs:0.0} ms | | |");
        }

        if (r.WarmUp is { } w)
        {
            Line(md, $"| Cold: the first {w.Jobs} jobs after toolgridd started, finished/s and platform CPU per run | {w.FinishPerSecond:0.0} /s, {CpuPerRunMs(w):0.0} ms | | |");
        }

        if (r.Memory is { } m)
        {
            Line(md, $"| Shepherd resident memory (VmRSS) per run, mean / max ({m.Shepherds} shepherds of `sleep 600`) | {m.RssBytes.Mean / Mib:0.00} / {m.RssBytes.Max / Mib:0.00} MiB | ≤ 4 MiB | {Met(m.RssBytes.Max <= 4 * Mib)} |");
            Line(md, $"| … proportional (PSS) / own pages (RssAnon), mean | {m.PssBytes.Mean / Mib:0.00} / {m.AnonBytes.Mean / Mib:0.00} MiB | | |");
            Line(md, $"| toolgridd VmRSS with those runs up (idle before: {m.ServerRssIdleBytes / Mib:0} MiB) | {m.ServerRssBytes / Mib:0} MiB | | |");
            Line(md, $"| The runs deleted: shepherds, processes, cgroups and jobs gone | {(m.Leftovers.Count == 0 ? $"all gone in {m.StopSeconds:0.0} s" : string.Join("; ", m.Leftovers.Take(5)))} | all gone | {Met(m.Leftovers.Count == 0)} |");
        }

        WriteAtRestRows(md, r);
        Line(md, "");
        Line(md, "Ratios against peers measured in the same run (this host is shared and noisy; the ratios travel better than the absolute times):");
        Line(md, "");
        if (sequential is not null)
        {
            Line(md, $"- submit-to-start p50 = **{latency.P50 / sequential.LatencyMs.P50:0.0}×** one fork+exec+wait of `sh -c true` ({sequential.LatencyMs.P50:0.00} ms), **{latency.P50 / r.FsyncAppendMs.P50:0.0}×** one fsync ({r.FsyncAppendMs.P50:0.00} ms).");
        }

        if (r.Throughput is { } t2)
        {
            Line(md, $"- throughput = **{t2.FinishPerSecond / r.FloorPerSecond:P1}** of the machine's fork+exec rate with all {r.Machine.Cores} cores ({r.FloorPerSecond:0} /s), **{t2.FinishPerSecond / (sequential?.PerSecond ?? double.NaN):P1}** of one core's ({sequential?.PerSecond:0} /s).");
            var c = t2.Cpu;
            Line(md, $"- during it the machine's {c.Cores} cores were **{c.MachineBusy:P0}** busy: the platform used {(c.PlatformSeconds ?? c.ServerSeconds) / (c.WallSeconds * c.Cores):P0} of them ({CpuPerRunMs(t2):0.0} ms per run), the benchmark's client {c.BenchSeconds / (c.WallSeconds * c.Cores):P0}, everything else on the host (other tenants) {Math.Max(0, c.OthersSeconds) / (c.WallSeconds * c.Cores):P0}. At {CpuPerRunMs(t2):0.0} ms of CPU per run, {c.Cores} cores to itself would let the platform reach about **{1000 * c.Cores / CpuPerRunMs(t2):0} runs/s** at most.");
        }

        WriteFloor(md, r);
        WriteCgroups(md, r);
        WriteBreakdown(md, r);
        WriteTrace(md, r);
        WriteShepherd(md, r);
        WriteThroughput(md, r);
        WriteProfile(md, r);
        return md.ToString();
    }

    /// <summary>Only the at-rest figure (<c>--at-rest-only</c>).</summary>
    public static string WriteAtRest(BenchResults r)
    {
        var md = new StringBuilder();
        Line(md, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC on {r.Machine.Describe()}{(r.Options.ServerEnvironment.Count > 0 ? ", toolgridd with " + string.Join(' ', r.Options.ServerEnvironment) : "")}.");
        Line(md, "");
        Line(md, "| Figure | Measured | Target | Met |");
        Line(md, "|---|---|---|---|");
        WriteAtRestRows(md, r);
        return md.ToString();
    }

    private static void WriteAtRestRows(StringBuilder md, BenchResults r)
    {
        if (r.AtRest is { } rest)
        {
            Line(md, $"| toolgridd at rest: VmRSS {rest.Idle.TotalSeconds:0} s after start (every role, API and proxy on TCP, no jobs; up {rest.StartSeconds:0.0} s after exec, {rest.RssUpBytes / Mib:0} MiB then) | {rest.RssBytes / Mib:0} MiB | ≤ 80 MiB | {Met(rest.RssBytes <= 80 * Mib)} |");
            Line(md, $"| … of which RssAnon / RssFile (mapped assemblies) / RssShmem; CPU used over those {rest.Idle.TotalSeconds:0} s | {rest.AnonBytes / Mib:0} / {rest.FileBytes / Mib:0} / {rest.ShmemBytes / Mib:0} MiB; {rest.IdleCpuSeconds * 1000:0} ms | | |");
        }
    }

    private static void WriteFloor(StringBuilder md, BenchResults r)
    {
        Line(md, "");
        Line(md, "#### The machine's floor");
        Line(md, "");
        Line(md, "| What | Rate | Latency p50 / p99 |");
        Line(md, "|---|---|---|");
        foreach (var f in r.Floor)
        {
            Line(md, $"| `sh -c true`: {f.How}, spawn → reaped | {f.PerSecond:0} /s | {f.LatencyMs.P50:0.00} / {f.LatencyMs.P99:0.00} ms |");
        }

        Line(md, $"| fsync of a 4 KiB append (a WAL commit) on the state directory's {r.Machine.StateFileSystem} | | {r.FsyncAppendMs.P50:0.00} / {r.FsyncAppendMs.P99:0.00} ms |");
        Line(md, $"| a small record appended + fdatasync + directory fsync (the shepherd's started record) | | {r.FsyncRecordMs.P50:0.00} / {r.FsyncRecordMs.P99:0.00} ms |");
        Line(md, $"| `sh -c 'exec date +%s%N'`: spawn → date reads the clock (taken off the exec samples) | | {r.DateOffsetMs.P50:0.00} / {r.DateOffsetMs.P99:0.00} ms |");
    }

    private static void WriteCgroups(StringBuilder md, BenchResults r)
    {
        if (r.Cgroups is not { } c)
        {
            return;
        }

        Line(md, "");
        Line(md, "#### Joining a cgroup: one write of a pid to `cgroup.procs`");
        Line(md, "");
        Line(md, "| Kernel state | Isolated (150 ms apart) p50 / p90 / max | In a burst p50 / max |");
        Line(md, "|---|---|---|");
        var state = c.FavorDynModsMounted ? "favordynmods mounted"
            : c.PerThreadgroupSinceBoot ? "favordynmods was on earlier in this boot: per-threadgroup rwsem stays on"
            : "default";
        Line(md, $"| {state} ({c.Hierarchy}) | {c.IsolatedMs.P50:0.000} / {c.IsolatedMs.P90:0.000} / {c.IsolatedMs.Max:0.000} ms | {c.BurstMs.P50:0.000} / {c.BurstMs.Max:0.000} ms |");
        if (r.FavorDynModsCgroups is { } f)
        {
            Line(md, $"| with favordynmods (a named hierarchy mounted for the measurement) | {f.IsolatedMs.P50:0.000} / {f.IsolatedMs.P90:0.000} / {f.IsolatedMs.Max:0.000} ms | {f.BurstMs.P50:0.000} / {f.BurstMs.Max:0.000} ms |");
        }

        if (r.FavorDynModsLatency.Count > 0)
        {
            var d = Distribution.Of(r.FavorDynModsLatency.Select(s => s.SubmitToExecMs));
            var s = Distribution.Of(r.FavorDynModsLatency.Select(s => s.SubmitToStartMs));
            Line(md, "");
            Line(md, $"With favordynmods on: submit-to-start p50 / p99 {s.P50:0.0} / {s.P99:0.0} ms, submit-to-exec {d.P50:0.0} / {d.P99:0.0} ms ({d.Count} submits).");
        }

        if (r.FavorDynModsError is { } error)
        {
            Line(md, "");
            Line(md, $"favordynmods could not be tried: {error}");
        }
    }

    private static void WriteBreakdown(StringBuilder md, BenchResults r)
    {
        var samples = r.Latency.Where(s => s.Launch is not null && s.StartedAt is not null).ToList();
        if (samples.Count == 0)
        {
            return;
        }

        var execs = r.Exec.Where(s => s.ExecAt is not null && s.StartedAt is not null).ToList();
        Line(md, "");
        Line(md, $"#### Where an isolated submit's time goes ({samples.Count} submits; the run's own times and toolgridd's Debug log)");
        Line(md, "");
        Line(md, "| Segment | p50 | p90 | p99 | What happens |");
        Line(md, "|---|---|---|---|---|");
        Row("POST sent → `submittedAt`", samples.Select(s => (s.SubmittedAt - s.SentAt).TotalMilliseconds), "connect, Kestrel, authentication, the handler reads the clock");
        Row("`submittedAt` → launch begun", samples.Select(s => (s.Launch!.Begun - s.SubmittedAt).TotalMilliseconds), "API checks + INSERTs + commit (fsync), controller wake-up, snapshot, place (UPDATE + fsync), StartAsync's reads, user lookup, run file with the spec (fdatasync)");
        Row("launch begun → `startedAt`", samples.Select(s => (s.StartedAt!.Value - s.Launch!.Begun).TotalMilliseconds), "posix_spawn of the launcher, lock, spec, fork of the shepherd, its cgroups and limits");
        Row("`startedAt` → launch ended", samples.Select(s => (s.Launch!.Ended - s.StartedAt!.Value).TotalMilliseconds), "the job's fork, cgroup joins, user switch, started record + fdatasync + directory fsync, go, exec, report, launcher exit");
        Row("(`submittedAt` → 201 read by the client)", samples.Select(s => (s.AnsweredAt - s.SubmittedAt).TotalMilliseconds), "the API's own answer, in parallel with the controller");
        Row("(`startedAt` → `finishedAt` of `true`)", samples.Select(s => (s.FinishedAt!.Value - s.StartedAt!.Value).TotalMilliseconds), "fork to reaped, for a command that does nothing");
        if (execs.Count > 0)
        {
            Row("(`startedAt` → exec, from `date`)", execs.Select(s => (s.ExecAt!.Value - s.StartedAt!.Value).TotalMilliseconds), "how much of the start happens after `startedAt` (it is taken before the job's fork)");
        }

        void Row(string name, IEnumerable<double> values, string what)
        {
            var d = Distribution.Of(values);
            Line(md, $"| {name} | {d.P50:0.0} ms | {d.P90:0.0} ms | {d.P99:0.0} ms | {what} |");
        }
    }

    private static void WriteTrace(StringBuilder md, BenchResults r)
    {
        if (r.Trace is not { Samples: > 0 } t)
        {
            return;
        }

        Line(md, "");
        Line(md, $"#### The same, cut finer at the SQL commands and transactions ({t.Samples} submits, toolgridd restarted with EF Core and request logging on; submit-to-start with it: p50 {t.SubmitToStartMs.P50:0.0} ms)");
        Line(md, "");
        Line(md, "| Segment | p50 | p90 | max | What happens |");
        Line(md, "|---|---|---|---|---|");
        foreach (var s in t.Segments)
        {
            Line(md, $"| {s.Name} | {s.Ms.P50:0.0} ms | {s.Ms.P90:0.0} ms | {s.Ms.Max:0.0} ms | {s.What} |");
        }

        Line(md, "");
        Line(md, $"SQL commands per submit: {t.ApiCommands.P50:0} in the POST, {t.ControllerCommands.P50:0} in the controller before the launch (each on a fresh connection, which also runs `PRAGMA synchronous=…; PRAGMA foreign_keys=ON`).");
    }

    private static void WriteShepherd(StringBuilder md, BenchResults r)
    {
        if (r.Shepherd is not { } s)
        {
            return;
        }

        Line(md, "");
        Line(md, "#### The shepherd alone (run directories written by the benchmark, `tg-shepherd RUNDIR` spawned, no toolgridd)");
        Line(md, "");
        Line(md, "| Launch (spawn → launcher exit) | p50 | p90 | p99 |");
        Line(md, "|---|---|---|---|");
        Line(md, $"| isolated ({s.IsolatedMs.Count}, {r.Options.Gap.TotalMilliseconds:0} ms apart) | {s.IsolatedMs.P50:0.0} ms | {s.IsolatedMs.P90:0.0} ms | {s.IsolatedMs.P99:0.0} ms |");
        Line(md, $"| … of which spawn → `startedAt` | {s.IsolatedSetupMs.P50:0.0} ms | {s.IsolatedSetupMs.P90:0.0} ms | {s.IsolatedSetupMs.P99:0.0} ms |");
        Line(md, $"| … of which `startedAt` → launcher exit | {s.IsolatedAfterStartMs.P50:0.0} ms | {s.IsolatedAfterStartMs.P90:0.0} ms | {s.IsolatedAfterStartMs.P99:0.0} ms |");
        Line(md, $"| back to back ({s.BurstMs.Count}) | {s.BurstMs.P50:0.0} ms | {s.BurstMs.P90:0.0} ms | {s.BurstMs.P99:0.0} ms |");
        if (s.Trace is { } trace)
        {
            Line(md, "");
            Line(md, $"One isolated launch under `strace -f -tt -T` ({trace.TotalMs:0.0} ms traced, strace slows every call): {trace.FsyncMs:0.0} ms in fsync, {trace.CgroupProcsMs:0.00} ms in writes to `cgroup.procs`. Calls of 0.5 ms or more:");
            Line(md, "");
            Line(md, "```text");
            foreach (var (at, ms, call) in trace.Slow)
            {
                Line(md, $"+{at,7:0.0} ms  {ms,6:0.00} ms  {call}");
            }

            Line(md, "```");
        }
    }

    private static void WriteThroughput(StringBuilder md, BenchResults r)
    {
        if (r.Throughput is not { } t)
        {
            return;
        }

        Line(md, "");
        Line(md, "#### Throughput in detail");
        Line(md, "");
        Line(md, $"- The API took the {t.Jobs} POSTs in {t.SubmitSeconds:0.0} s ({t.SubmitPerSecond:0.0} /s); the last run started {t.StartSeconds:0.0} s and finished {t.FinishSeconds:0.0} s after the first POST; {t.Succeeded} of {t.Jobs} succeeded.");
        Line(md, $"- Queueing, `submittedAt` → `startedAt`: {t.QueueMs.Describe()} ms.");
        Line(md, $"- The backend's launches (spawn → launcher exit) under load: {t.LaunchMs.Describe()} ms; at most {t.MaxLaunchesInFlight} under way at once; toolgridd had up to {t.ServerThreadsMax} threads.");
        Line(md, $"- The controller's passes (from the launches in the log): {t.Passes.Count} passes of {t.Passes.BatchSize.Mean:0.0} runs on average (max {t.Passes.BatchSize.Max:0}); launching a pass's batch took {t.Passes.LaunchPhaseMs.Describe()} ms, and from the end of one pass's launches to the first launch of the next (snapshot, decide, place + commit, StartAsync's reads, run directories): {t.Passes.BetweenMs.Describe()} ms.");
        Line(md, $"- Runs finished in each second from the first POST: {string.Join(' ', t.FinishesPerSecond)}.");
    }

    private static void WriteProfile(StringBuilder md, BenchResults r)
    {
        if (r.CpuProfile is not { Samples: > 0 } p || r.Profiled is not { } t)
        {
            return;
        }

        var perRun = CpuPerRunMs(t);
        Line(md, "");
        Line(md, $"#### Where the platform's CPU goes ({t.Jobs} more jobs of `true` under `perf record -g`, {p.Samples} samples; {t.FinishPerSecond:0.0} runs/s, {perRun:0.0} ms of CPU per run)");
        Line(md, "");
        Line(md, "| Part | Share | ms per run |");
        Line(md, "|---|---|---|");
        foreach (var (part, share) in p.Parts.Where(x => x.Share >= 0.005))
        {
            Line(md, $"| {part} | {share:P1} | {share * perRun:0.0} |");
        }

        Line(md, "");
        Line(md, $"{p.KernelShare:P0} of the samples were in the kernel; {p.InodeAllocationShare:P1} ({p.InodeAllocationShare * perRun:0.0} ms per run) in ext4's inode allocation (`__ext4_new_inode` → `find_inode_bit` → `recently_deleted`), by toolgridd and the shepherds creating run files.");
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
