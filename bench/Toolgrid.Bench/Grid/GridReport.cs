using System.Globalization;
using System.Text;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Grid;

/// <summary>The grid suite's results as Markdown: Toolgrid on each engine against the engine alone, as ratios, against the targets.</summary>
internal static class GridReport
{
    public const string Begin = "<!-- toolgrid-bench:grid:begin (written by bench/run.sh --grid; edit the text outside the markers) -->";
    public const string End = "<!-- toolgrid-bench:grid:end -->";

    private const double Mib = 1024 * 1024;

    public static string Write(GridResults r)
    {
        var md = new StringBuilder();
        var o = r.Options;
        var engines = string.Join(' ', o.GridEngines.Select(e => "--grid " + e.Name));
        Line(md, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC in {r.Elapsed.TotalMinutes:0.0} min on {r.Machine.Describe()}.");
        Line(md, $"Reproduce: `sudo bench/run.sh {engines} --grid-samples {o.GridSamples} --grid-jobs {o.GridJobs}{(o.GridTuned ? " --grid-tuned" : string.Empty)}`.");
        foreach (var e in r.Engines)
        {
            var tg = Distribution.Of(e.Toolgrid.Select(s => s.SubmitToExecMs));
            var raw = Distribution.Of(e.Raw.Select(s => s.SubmitToExecMs));
            var tgCli = Distribution.Of(e.Toolgrid.Select(s => s.CliMs));
            var rawCli = Distribution.Of(e.Raw.Select(s => s.CliMs));
            Line(md, "");
            Line(md, $"**{e.Engine}** (the test cluster of deploy/grid/{e.Engine}-cluster.sh: a master and two nodes on this host; toolgridd with the backend's defaults{(o.GridTuned ? "; " + GridTuning.Describe : string.Empty)}):");
            Line(md, "");
            Line(md, "| Measure | Toolgrid | the engine alone | ratio | target | met |");
            Line(md, "|---|---|---|---|---|---|");
            Line(md, $"| Submit → the command's own clock p50 (a new client process per submit: `toolgrid jobs run` / `{RawClient(e.Engine)}`; {tg.Count} interleaved submits each) | {tg.P50:0} ms | {raw.P50:0} ms | {tg.P50 / raw.P50:0.00}× | ≤ 1.1× | {Met(tg.P50 <= 1.1 * raw.P50)} |");
            Line(md, $"| … p99 | {tg.P99:0} ms | {raw.P99:0} ms | {tg.P99 / raw.P99:0.00}× | ≤ 1.1× | {Met(tg.P99 <= 1.1 * raw.P99)} |");
            Line(md, $"| The client's answer (process started → exited, the job accepted) p50 / p99 | {tgCli.P50:0} / {tgCli.P99:0} ms | {rawCli.P50:0} / {rawCli.P99:0} ms | {tgCli.P50 / rawCli.P50:0.00}× | at once | |");
            if (e.ToolgridThroughput is { } t && e.RawThroughput is { } rt)
            {
                Line(md, $"| Throughput: {t.Jobs} jobs, {t.Submitters} submitters, first submit → last job's end, jobs/s | {t.FinishPerSecond:0.0} | {rt.FinishPerSecond:0.0} | {t.FinishPerSecond / rt.FinishPerSecond:0.00}× | ≥ 0.9× | {Met(t.FinishPerSecond >= 0.9 * rt.FinishPerSecond)} |");
                Line(md, $"| … submits taken per second | {t.SubmitPerSecond:0.0} | {rt.SubmitPerSecond:0.0} | | | |");
                Line(md, $"| toolgridd CPU per run on the engine (its own process; the engine's daemons not counted) | {1000 * t.Cpu.ServerSeconds / t.Jobs:0.0} ms | | | measure | |");
            }

            Line(md, $"| toolgridd resident memory at the end | {e.ServerRssBytes / Mib:0} MiB | | | | |");
            var startLag = Distribution.Of(e.Lag.Where(s => s.StartLagMs is not null).Select(s => s.StartLagMs!.Value));
            var endLag = Distribution.Of(e.Lag.Where(s => s.EndLagMs is not null).Select(s => s.EndLagMs!.Value));
            var missed = e.Lag.Count(s => s.StartLagMs is null || s.EndLagMs is null);
            if (startLag.Count > 0 && endLag.Count > 0)
            {
                Line(md, $"| Observation lag: the command's own clock at its start → the store says running, p50 / p99 ({startLag.Count} jobs one at a time{(missed > 0 ? $", {missed} not seen" : "")}; the API read every {ObservationLag.Poll.TotalMilliseconds:0} ms) | {startLag.P50:0} / {startLag.P99:0} ms | | | p99 ≤ 1000 ms | {Met(startLag.P99 <= 1000 && missed == 0)} |");
                Line(md, $"| … its last act → the store says ended, p50 / p99 | {endLag.P50:0} / {endLag.P99:0} ms | | | p99 ≤ 1000 ms | {Met(endLag.P99 <= 1000 && missed == 0)} |");
            }

            if (e.NodeLoss is { } loss)
            {
                Line(md, $"| Node loss ({(o.GridTuned ? "tuned" : "the defaults")}): a continuous job's node killed → its run recorded ended ({loss.Reason ?? "not recorded"}) | {Seconds(loss.LostAfterSeconds)} | | | ≤ 60 s | {Met(loss.LostAfterSeconds <= 60)} |");
                Line(md, $"| … → a new run running on the other node | {Seconds(loss.ElsewhereAfterSeconds)} | | | measure (≤ 10 s tuned) | |");
            }
        }

        Line(md, "");
        Line(md, "Toolgrid's throughput submits through its API (one connection per submitter), the engine's through a new `qsub`/`sbatch` process per job; its submit-to-exec goes through a new `toolgrid jobs run` process per submit as the engine's does.");
        return md.ToString();
    }

    private static string Seconds(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0} s") : "not within 5 min";

    private static string RawClient(string engine) => engine == "sge" ? "qsub" : "sbatch";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
