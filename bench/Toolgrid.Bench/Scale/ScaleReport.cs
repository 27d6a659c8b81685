using System.Globalization;
using System.Text;
using Toolgrid.Bench.Stats;

namespace Toolgrid.Bench.Scale;

/// <summary>The scale suite's results as Markdown, figures against their targets.</summary>
internal static class ScaleReport
{
    public const string Begin = "<!-- toolgrid-bench:scale:begin (written by bench/run.sh --scale; edit the text outside the markers) -->";
    public const string End = "<!-- toolgrid-bench:scale:end -->";

    private const double Mib = 1024 * 1024;

    public static string Write(ScaleResults r)
    {
        var md = new StringBuilder();
        var o = r.Options;
        var s = r.Shape;
        Line(md, $"Measured {r.Date:yyyy-MM-dd HH:mm} UTC in {r.Elapsed.TotalMinutes:0.0} min on {r.Machine.Describe()}; load average (1 min) {r.Load.Begin:0.0} when toolgridd started on the seeded store, {r.Load.End:0.0} after the idle windows.");
        Line(md, $"Reproduce: `sudo bench/run.sh --scale{Options(o)}`.");
        Line(md, "");
        Line(md, "| Figure | Measured | Target | Met |");
        Line(md, "|---|---|---|---|");
        if (r.Seed is { } seed)
        {
            Line(md, $"| Seeded straight into the store (bulk INSERTs, the store's own model): {seed.Tools} tools, {seed.Jobs} jobs ({s.Scheduled} scheduled, {s.Continuous} continuous, {s.OneOff} one-off, {s.Webservices} web services), {seed.Runs} runs | {seed.Elapsed.TotalSeconds:0.0} s; store {r.StoreBytes / Mib:0} MiB | | |");
        }

        Line(md, $"| toolgridd started on it: exec → API answers | {r.StartUp.TotalSeconds:0.0} s | | |");
        Line(md, $"| Runs by state in `toolgrid status` at the end | {string.Join(", ", r.RunStates.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")))} | | |");
        Api(md, $"`jobs list` of a seeded tool, as its maintainer over the Unix socket ({r.JobsList.Count} requests, {o.ScaleSamples} of each kind interleaved, 20 ms apart)", r.JobsList, 50);
        Api(md, "`jobs show` of a scheduled job with its history (the API's list of a job's runs: its newest 10)", r.JobShow, 50);
        Api(md, "`toolgrid status` (`GET /api/v1/status`: counts of tools, jobs, runs by state)", r.ApiStatus, null);
        Api(md, $"Status page (`GET /` on the proxy, every tool and its jobs), each read after its 2 s cache expired (the page of the summaries last read; that read starts the next behind it) ({r.StatusPage.Count} reads)", r.StatusPage, 200);
        Api(md, "… the same page from its cache", r.StatusPageCached, null);
        Api(md, $"Route change: the web service's new replica recorded ready (`readyAt`) → its first answer through the proxy ({r.RouteChange.Count} starts; `python3 -m http.server` among the {s.Webservices} seeded web services)", r.RouteChange, 1000);
        Line(md, $"| … the whole start: `POST …/webservice` → its first answer through the proxy, p50 / max | {r.WebserviceStart.P50:0} / {r.WebserviceStart.Max:0} ms | | |");
        Line(md, $"| toolgridd resident memory, peak (VmHWM) over the run / VmRSS when idle | {r.ServerRssBytes / Mib:0} / {r.ServerRssIdleBytes / Mib:0} MiB | ≤ 400 MiB | {Met(r.ServerRssBytes / Mib <= 400)} |");
        var idle = Distribution.Of(r.IdleCpu);
        Line(md, $"| toolgridd idle CPU (windows of 10 s, nothing asked of it) | {idle.Mean:0.0} ms per s ({string.Join(", ", r.IdleCpu.Select(w => w.ToString("0.0", CultureInfo.InvariantCulture)))}) | measure | |");
        if (r.Trim is { } t)
        {
            Line(md, $"| Trim: toolgridd restarted with `RunHistoryDays={t.Days}` (100 runs kept per job): runs before → after | {t.RunsBefore} → {t.RunsAfter} ({t.RunsBefore - t.RunsAfter} deleted), {t.Elapsed.TotalSeconds:0.0} s from exec to the trim's end | | |");
            Line(md, $"| … its log line | `{t.LogLine.Replace("|", "/", StringComparison.Ordinal)}` | | |");
            Api(md, $"… `jobs show` as the maintainer while it trimmed ({t.JobShowDuring.Count} requests, 50 ms apart)", t.JobShowDuring, null);
        }

        return md.ToString();
    }

    private static void Api(StringBuilder md, string what, Distribution d, double? target)
    {
        var met = target is { } limit ? Met(d.P99 <= limit) : "";
        var goal = target is { } l ? string.Create(CultureInfo.InvariantCulture, $"p99 ≤ {l:0} ms") : "";
        Line(md, $"| {what}: p50 / p99 / max | {d.P50:0.0} / {d.P99:0.0} / {d.Max:0.0} ms | {goal} | {met} |");
    }

    private static string Options(BenchOptions o)
    {
        var defaults = new BenchOptions();
        var text = new StringBuilder();
        if (o.ScaleRuns != defaults.ScaleRuns)
        {
            text.Append(CultureInfo.InvariantCulture, $" --scale-runs {o.ScaleRuns}");
        }

        if (o.ScaleSamples != defaults.ScaleSamples)
        {
            text.Append(CultureInfo.InvariantCulture, $" --scale-samples {o.ScaleSamples}");
        }

        if (o.ScaleStatusSamples != defaults.ScaleStatusSamples)
        {
            text.Append(CultureInfo.InvariantCulture, $" --scale-status-samples {o.ScaleStatusSamples}");
        }

        if (o.ScaleStarts != defaults.ScaleStarts)
        {
            text.Append(CultureInfo.InvariantCulture, $" --scale-starts {o.ScaleStarts}");
        }

        if (o.ScaleTrimDays != defaults.ScaleTrimDays)
        {
            text.Append(CultureInfo.InvariantCulture, $" --scale-trim-days {o.ScaleTrimDays}");
        }

        return text.ToString();
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
