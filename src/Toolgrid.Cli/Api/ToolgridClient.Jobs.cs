using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

// The API, continued: a tool's jobs: declaring, waiting for, replacing, submitting, stopping and deleting them.
public sealed partial class ToolgridClient
{
    /// <summary>The longest the API holds a <c>?wait=true</c> request (docs/api.md).</summary>
    public static readonly TimeSpan MaxWaitTimeout = TimeSpan.FromSeconds(300);

    /// <summary>How long one long poll of <see cref="WaitUntilFinishedAsync"/> asks the API to hold the answer.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(60);

    // A poll that comes back unfinished sooner than this is followed by a pause, so that an API
    // that does not hold the answer is not asked in a tight loop.
    private static readonly TimeSpan MinimumPollInterval = TimeSpan.FromSeconds(1);

    // Room on top of a long poll's own timeout for the answer to travel.
    private static readonly TimeSpan WaitSlack = TimeSpan.FromSeconds(30);

    /// <summary>The tool's jobs, each with its latest run.</summary>
    public Task<IReadOnlyList<JobView>> ListJobsAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ToolPath(tool) + "/jobs", null, CliJsonContext.Default.IReadOnlyListJobView, cancellationToken);

    /// <summary>Declares a job and queues its first run.</summary>
    public Task<JobView> RunJobAsync(string tool, JobRunRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ToolPath(tool) + "/jobs", Body(request, CliJsonContext.Default.JobRunRequest), CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>The job with its recent runs, newest first.</summary>
    public Task<JobView> GetJobAsync(string tool, string job, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, JobPath(tool, job), null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>One long poll: the API answers once the job is finished, or after <paramref name="timeout"/> (at most 300 s).</summary>
    public Task<JobView> WaitForJobAsync(string tool, string job, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, MaxWaitTimeout.TotalSeconds);
        return SendAsync(
            HttpMethod.Get,
            FormattableString.Invariant($"{JobPath(tool, job)}?wait=true&timeout={seconds}"),
            null,
            CliJsonContext.Default.JobView,
            TimeSpan.FromSeconds(seconds) + WaitSlack,
            cancellationToken);
    }

    /// <summary>Long-polls until the job is <see cref="JobView.Finished"/>; returns it then.</summary>
    public async Task<JobView> WaitUntilFinishedAsync(string tool, string job, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var asked = _transport.Time.GetTimestamp();
            var view = await WaitForJobAsync(tool, job, DefaultWaitTimeout, cancellationToken);
            if (view.Finished)
            {
                return view;
            }

            var took = _transport.Time.GetElapsedTime(asked);
            if (took < MinimumPollInterval)
            {
                await Task.Delay(MinimumPollInterval - took, _transport.Time, cancellationToken);
            }
        }
    }

    /// <summary>Deletes the job: its runs are being stopped.</summary>
    public Task<JobView> DeleteJobAsync(string tool, string job, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, JobPath(tool, job), null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>
    /// Replaces a continuous job's runs (one at a time), runs a one-off job again, or runs a
    /// scheduled job now without changing its schedule.
    /// </summary>
    public Task<JobView> RestartJobAsync(string tool, string job, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, JobPath(tool, job) + "/restart", null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>
    /// Makes the tool's jobs match a list (<c>jobs load</c>): adds, replaces and deletes; with
    /// <see cref="JobsApplyRequest.DryRun"/> only says what it would do; with
    /// <see cref="JobsApplyRequest.Only"/> touches that one job. One bad entry changes nothing.
    /// </summary>
    public Task<JobsApplyResult> ApplyJobsAsync(string tool, JobsApplyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ToolPath(tool) + "/jobs/apply", Body(request, CliJsonContext.Default.JobsApplyRequest), CliJsonContext.Default.JobsApplyResult, cancellationToken);

    /// <summary>
    /// Submits a job by name (<c>jsub</c>, <c>jstart</c>, <c>qcronsub</c>): made if new, run again if
    /// it has ended, a second run beside a running one-off job, or refused (409) while it is
    /// active with <see cref="JobSubmitRequest.Once"/>. The answer's newest run is the one queued.
    /// </summary>
    public Task<JobView> SubmitJobAsync(string tool, string job, JobSubmitRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, JobPath(tool, job) + "/runs", Body(request, CliJsonContext.Default.JobSubmitRequest), CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>Stops one run of a one-off or scheduled job (<c>qdel ID</c>); its job stays.</summary>
    public Task<JobView> StopRunAsync(string tool, long run, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ToolPath(tool) + FormattableString.Invariant($"/runs/{run}"), null, CliJsonContext.Default.JobView, cancellationToken);

    /// <summary>Deletes every job of the tool (<c>jobs flush</c>).</summary>
    public Task<IReadOnlyList<JobView>> FlushJobsAsync(string tool, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ToolPath(tool) + "/jobs", null, CliJsonContext.Default.IReadOnlyListJobView, cancellationToken);

    internal static string JobPath(string tool, string job) => ToolPath(tool) + "/jobs/" + Uri.EscapeDataString(job);
}
