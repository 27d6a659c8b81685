using System.Globalization;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Bench.Server;
using Toolgrid.Bench.Stats;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Supervision;

/// <summary>
/// Many scheduled jobs of <c>true</c>, spread over several tools, all due on the same minute
/// (<c>M H * * *</c> in UTC, far enough ahead for the submits, the idle window and the lead time),
/// under the lead time toolgridd runs with (<c>Toolgrid:Controller:ScheduleLeadTime</c>: runs
/// queued, placed and launched that long before their due time, their command held until it; zero:
/// queued at the due time): the lateness of each run's <c>startedAt</c> (and of its
/// <c>submittedAt</c>, when the controller queued it, negative when ahead) against its
/// <c>dueAt</c>, and toolgridd's CPU for the burst, from a second before the runs are staged
/// (<c>due − lead − 1 s</c>) until every run has ended, per scheduled run, beside its CPU while
/// the same schedules only wait (a window that ends at least a second before anything is staged).
/// </summary>
internal static class ScheduleBurstScenario
{
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);

    /// <summary>The pause after the submits, before the idle window.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>How long before the runs are staged the burst is measured from (and the least gap after the idle window, plus slack for timers).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    public static async Task<ScheduleBurstResult> RunAsync(BenchContext context, IReadOnlyList<string> tools, string prefix, int schedules, int submitters, TimeSpan lead, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var client = context.Client;
        var jobs = Enumerable.Range(0, schedules)
            .Select(i => (Tool: tools[i % tools.Count], Name: string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D4}")))
            .ToList();

        // The due minute: far enough ahead for the submits (estimated generously), the idle window
        // and the lead time: nothing may be staged before the idle window has ended.
        var now = context.Time.GetUtcNow();
        var earliest = now + TimeSpan.FromSeconds(25) + IdleWindow + lead + TimeSpan.FromMilliseconds(20 * schedules);
        var due = new DateTimeOffset(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, earliest.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var staged = due - lead;
        var cron = string.Create(CultureInfo.InvariantCulture, $"{due.Minute} {due.Hour} * * *");
        var submitting = context.Time.GetTimestamp();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = submitters, CancellationToken = cancellationToken }, async (job, token) =>
            await client.RunJobAsync(
                job.Tool,
                new JobRunRequest { Name = job.Name, Schedule = cron, Timezone = "UTC", Command = "true", Mem = "32Mi", Cpu = "10m", Filelog = false },
                token));
        var submitSeconds = context.Time.GetElapsedTime(submitting).TotalSeconds;
        if (context.Time.GetUtcNow() > staged - Margin - Margin - IdleWindow - Settle)
        {
            throw new InvalidOperationException($"submitting {schedules} scheduled jobs took {submitSeconds:0.0} s, too long for the due minute {due:HH:mm} (runs staged from {staged:HH:mm:ss}, lead time {lead:c}); try fewer (--schedules)");
        }

        // Waiting: what toolgridd costs with the schedules only pending (nothing staged yet).
        await Task.Delay(Settle, context.Time, cancellationToken);
        var idleCpu0 = ProcFs.CpuSeconds(server.Pid);
        var idle0 = context.Time.GetTimestamp();
        await Task.Delay(IdleWindow, context.Time, cancellationToken);
        var idleCpuPerSecond = (ProcFs.CpuSeconds(server.Pid) - idleCpu0) / context.Time.GetElapsedTime(idle0).TotalSeconds;
        if (context.Time.GetUtcNow() > staged - Margin)
        {
            throw new InvalidOperationException($"the idle window ended at {context.Time.GetUtcNow():HH:mm:ss.fff}, less than {Margin.TotalSeconds:0} s before the runs are staged ({staged:HH:mm:ss}): the machine is too slow for these timings");
        }

        var baseline = await client.GetStatusAsync(cancellationToken);
        var succeeded0 = baseline.Runs.GetValueOrDefault("succeeded");
        // The burst: from a second before the runs are staged (due − lead) until every run has ended.
        var wait = staged - Margin - context.Time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, context.Time, cancellationToken);
        }

        var cpu0 = ProcFs.CpuSeconds(server.Pid);
        var platform0 = server.Cpu?.Seconds();
        var burst0 = context.Time.GetTimestamp();
        await context.WaitUntilAsync(
            async () =>
            {
                var status = await client.GetStatusAsync(cancellationToken);
                return status.Runs.GetValueOrDefault("succeeded") + status.Runs.GetValueOrDefault("failed") - succeeded0 - baseline.Runs.GetValueOrDefault("failed") >= schedules
                    && status.Runs.GetValueOrDefault("queued") + status.Runs.GetValueOrDefault("starting") + status.Runs.GetValueOrDefault("running") == 0;
            },
            TimeSpan.FromMilliseconds(250),
            TimeSpan.FromMinutes(5) + lead,
            $"{schedules} scheduled runs",
            cancellationToken);
        var burstSeconds = context.Time.GetElapsedTime(burst0).TotalSeconds;
        var cpu = ProcFs.CpuSeconds(server.Pid) - cpu0;
        var platformCpu = server.Cpu?.Seconds() - platform0;

        var started = new List<double>();
        var queued = new List<double>();
        var problems = new List<string>();
        var lastStart = DateTimeOffset.MinValue;
        var gate = new object();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = submitters, CancellationToken = cancellationToken }, async (job, token) =>
        {
            var view = await client.GetJobAsync(job.Tool, job.Name, token);
            lock (gate)
            {
                if (view.Runs.Count != 1 || view.Runs[0] is not { DueAt: { } dueAt, StartedAt: { } startedAt } run || run.State != "succeeded")
                {
                    problems.Add($"{job.Tool}/{job.Name}: {view.Runs.Count} run(s), {view.Status}");
                    return;
                }

                started.Add((startedAt - dueAt).TotalMilliseconds);
                queued.Add((run.SubmittedAt - dueAt).TotalMilliseconds);
                lastStart = startedAt > lastStart ? startedAt : lastStart;
            }
        });

        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = submitters, CancellationToken = cancellationToken }, async (job, token) =>
        {
            try
            {
                await client.DeleteJobAsync(job.Tool, job.Name, token);
            }
            catch (ToolgridApiException)
            {
                // Already purged.
            }
        });

        return new ScheduleBurstResult(
            schedules,
            tools.Count,
            lead,
            due,
            submitSeconds,
            Distribution.Of(started),
            Distribution.Of(queued),
            (lastStart - due).TotalSeconds,
            burstSeconds,
            cpu,
            platformCpu,
            idleCpuPerSecond,
            problems);
    }
}
