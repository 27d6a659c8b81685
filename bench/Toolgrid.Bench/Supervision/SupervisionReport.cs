using System.Globalization;
using System.Text;

namespace Toolgrid.Bench.Supervision;

/// <summary>The supervision suite's results as Markdown, figures against their targets.</summary>
internal static class SupervisionReport
{
    public const string Begin = "<!-- toolgrid-bench:supervision:begin (written by bench/run.sh --supervision; edit the text outside the markers) -->";
    public const string End = "<!-- toolgrid-bench:supervision:end -->";

    private const double Mib = 1024 * 1024;

    /// <summary>toolgridd's slots per node unless told otherwise (<c>Toolgrid:Local:Slots</c>).</summary>
    private const int DefaultSlots = 512;

    public static string Write(SupervisionResults r)
    {
        var md = new StringBuilder();
        var o = r.Options;
        Line(md, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC in {r.Elapsed.TotalMinutes:0.0} min on {r.Machine.Describe()}.");
        Line(md, $"Reproduce: `sudo bench/run.sh --supervision --restart-samples {o.RestartSamples} --continuous {o.ContinuousJobs} --schedules {o.Schedules} --schedule-tools {o.ScheduleTools}`.");
        Line(md, "");
        Line(md, "| Figure | Measured | Target | Met |");
        Line(md, "|---|---|---|---|");
        if (r.Restart is { } rl)
        {
            var d = rl.ExitToStartMs;
            Line(md, $"| First restart of a continuous job, p50 (run's `finishedAt` → next run's `startedAt`, {d.Count} isolated jobs) | {d.P50:0.0} ms | ≤ 200 ms | {Met(d.P50 <= 200)} |");
            Line(md, $"| … p99 / max | {d.P99:0.0} / {d.Max:0.0} ms | | |");
            Line(md, $"| … of which exit → next run queued by the controller, p50 / p99 | {rl.ExitToQueuedMs.P50:0.0} / {rl.ExitToQueuedMs.P99:0.0} ms | | |");
            if (r.Floor is { } floor)
            {
                Line(md, $"| … as a multiple of one fork+exec+wait of `sh -c true` ({floor.LatencyMs.P50:0.00} ms p50) | {d.P50 / floor.LatencyMs.P50:0.0}× | | |");
            }
        }

        if (r.Fleet is { } f)
        {
            Line(md, $"| Continuous jobs up ({f.Jobs} of `exec sleep 86400`; first submit → all running) | {f.Shepherds} shepherds in {f.UpSeconds:0.0} s | {f.Jobs} | {Met(f.Shepherds == f.Jobs)} |");
            Line(md, $"| Shepherd memory per run: VmRSS mean / max, PSS mean | {f.RssBytes.Mean / Mib:0.00} / {f.RssBytes.Max / Mib:0.00} MiB, {f.PssBytes.Mean / Mib:0.00} MiB | | |");
            Line(md, $"| All shepherds together (sum of PSS) | {f.PssBytes.Mean * f.PssBytes.Count / Mib:0.0} MiB | | |");
            Line(md, $"| toolgridd VmRSS with them up (idle before: {f.ServerRssIdleBytes / Mib:0} MiB) | {f.ServerRssBytes / Mib:0} MiB | | |");
            Line(md, $"| Re-adoption after SIGKILL of toolgridd: exec → API answers | {f.ApiSeconds:0.00} s | | |");
            Line(md, $"| … exec → first reconcile done with all {f.Jobs} runs running (toolgridd CPU by then; VmRSS) | {f.AdoptSeconds:0.00} s ({f.AdoptCpuSeconds:0.00} s CPU; {f.AdoptedServerRssBytes / Mib:0} MiB) | | |");
            Line(md, $"| … same shepherd processes, no run started twice | {(f.AdoptProblems.Count == 0 ? "yes" : string.Join("; ", f.AdoptProblems))} | yes | {Met(f.AdoptProblems.Count == 0)} |");
            Line(md, $"| The jobs deleted: shepherds, processes and cgroups gone | {(f.Leftovers.Count == 0 ? $"all gone in {f.StopSeconds:0.0} s" : string.Join("; ", f.Leftovers.Take(5)))} | all gone | {Met(f.Leftovers.Count == 0)} |");
        }

        if (r.Schedules is { } s)
        {
            ScheduleRows(md, s, r, o, $"queued and launched {Seconds(s.LeadTime)} ahead (the default lead time, `ScheduleLeadTime` {s.LeadTime:c}), each held until its due time", true);
        }

        if (r.SchedulesAtDue is { } z)
        {
            ScheduleRows(md, z, r, o, "queued at their due time (toolgridd restarted with `ScheduleLeadTime` 00:00:00)", r.Schedules is null);
        }

        if (r is { Schedules: { } ahead, SchedulesAtDue: { } atDue })
        {
            var ratio = ahead.StartLatenessMs.P99 > 0 ? string.Create(CultureInfo.InvariantCulture, $"{atDue.StartLatenessMs.P99 / ahead.StartLatenessMs.P99:0.0}×") : "n/a (ahead ≤ 0 ms)";
            Line(md, $"| Lead time against none: p99 `startedAt − dueAt` at the due time / ahead ({atDue.StartLatenessMs.P99:0} / {ahead.StartLatenessMs.P99:0} ms) | {ratio} | | |");
            Line(md, $"| … toolgridd CPU per scheduled run, ahead / at the due time{PlatformPair(ahead, atDue)} | {1000 * ahead.ServerCpuSeconds / ahead.Schedules:0.00} / {1000 * atDue.ServerCpuSeconds / atDue.Schedules:0.00} ms | | |");
        }

        return md.ToString();
    }

    private static void ScheduleRows(StringBuilder md, ScheduleBurstResult s, SupervisionResults r, BenchOptions o, string how, bool first)
    {
        var l = s.StartLatenessMs;
        var slots = !first ? ""
            : r.NodeSlots > DefaultSlots ? string.Create(CultureInfo.InvariantCulture, $"; the node's slots raised to {r.NodeSlots} (default {DefaultSlots}) so that every held run fits at once")
            : string.Create(CultureInfo.InvariantCulture, $"; the node's {r.NodeSlots} slots (the default) hold every held run at once");
        Line(md, $"| Schedules due on one minute ({s.Schedules} jobs of `true` over {s.Tools} tools, due {s.DueAt:HH:mm} UTC), {how}{slots}: run `startedAt − dueAt` p50 | {l.P50:0} ms | | |");
        if (first)
        {
            Line(md, $"| … p99 | {l.P99:0} ms | ≤ 1000 ms | {Met(l.P99 <= 1000)} |");
        }
        else
        {
            Line(md, $"| … p99 | {l.P99:0} ms | | |");
        }

        Line(md, $"| … max; the last run started after | {l.Max:0} ms; {s.LastStartSeconds:0.00} s | | |");
        Line(md, $"| … queued by the controller (`submittedAt − dueAt`, negative: ahead of the due time) p50 / p99 | {s.QueueLatenessMs.P50:0} / {s.QueueLatenessMs.P99:0} ms | | |");
        Line(md, $"| … ran exactly once each and succeeded | {(s.Problems.Count == 0 ? "yes" : $"{s.Problems.Count} did not: " + string.Join("; ", s.Problems.Take(3)))} | yes | {Met(s.Problems.Count == 0)} |");
        var platform = s.PlatformCpuSeconds is { } p ? string.Create(CultureInfo.InvariantCulture, $"; the whole platform (launchers, shepherds, `true`): {1000 * p / s.Schedules:0.00} ms") : "";
        Line(md, $"| Controller CPU per scheduled run: toolgridd over the burst ({s.BurstSeconds:0.0} s from {Seconds(s.LeadTime + TimeSpan.FromSeconds(1))} before the due minute until every run had ended) / runs{platform} | {1000 * s.ServerCpuSeconds / s.Schedules:0.00} ms | | |");
        Line(md, $"| … toolgridd while the {s.Schedules} schedules only wait (none staged yet) | {1000 * s.IdleCpuPerSecond:0} ms CPU per s | | |");
        Line(md, $"| Creating the {s.Schedules} scheduled jobs ({o.Submitters} submitters) | {s.SubmitSeconds:0.0} s | | |");
    }

    private static string PlatformPair(ScheduleBurstResult ahead, ScheduleBurstResult atDue) =>
        ahead.PlatformCpuSeconds is { } a && atDue.PlatformCpuSeconds is { } z
            ? string.Create(CultureInfo.InvariantCulture, $" (the whole platform: {1000 * a / ahead.Schedules:0.00} / {1000 * z / atDue.Schedules:0.00} ms)")
            : "";

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
