using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Supervision;
using Toolgrid.Store;

namespace Toolgrid.Controller;

/// <summary>
/// Reports the jobs a grid engine lists under tools' users that Toolgrid did not start
/// (<see cref="OutsideJobRule"/>): a warning in <c>toolgrid status</c> while the job is listed,
/// and one log line per job when it is first found.
/// </summary>
/// <remarks>
/// Looks at the engine's last read (<see cref="IOutsideJobs"/>: the backend's watch reads it every
/// poll), and decides again when the jobs listed change, or every
/// <see cref="ControllerOptions.ReconcileInterval"/> (a tool created meanwhile). Kept in memory only:
/// a new controller reports the jobs still there once more.
/// </remarks>
public sealed partial class OutsideJobReports(
    IOutsideJobs engine,
    IToolAccounts accounts,
    IDbContextFactory<ToolgridDbContext> contexts,
    IOptions<ControllerOptions> options,
    TimeProvider time,
    ILogger<OutsideJobReports> logger) : BackgroundService, IWarningSource
{
    private volatile IReadOnlyList<string> _warnings = [];
    private HashSet<string> _reported = new(StringComparer.Ordinal);
    private string? _lastListed;
    private DateTimeOffset _lastDecided = DateTimeOffset.MinValue;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _warnings;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(e);
            }

            try
            {
                await Task.Delay(options.Value.TickInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Decides from the engine's last read, when it changed or the last decision is old.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (engine.OutsideJobs is not { } jobs)
        {
            return;
        }

        var now = time.GetUtcNow();
        var listed = string.Join(' ', jobs.Select(j => j.JobId).Order(StringComparer.Ordinal));
        if (listed == _lastListed && now - _lastDecided < options.Value.ReconcileInterval)
        {
            return;
        }

        var found = jobs.Count == 0 ? [] : OutsideJobRule.Decide(jobs, await ToolsByUserAsync(cancellationToken), j => accounts.IsToolUser(j.Owner, j.Uid));
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>(found.Count);
        foreach (var job in found)
        {
            var warning = OutsideJobRule.Warning(job, engine.Engine, engine.DeleteProgram);
            warnings.Add(warning);
            reported.Add(job.Job.JobId);
            if (!_reported.Contains(job.Job.JobId))
            {
                LogFound(job.Tool ?? job.Job.Owner, job.Job.JobId, warning);
            }
        }

        _reported = reported;
        _warnings = warnings;
        _lastListed = listed;
        _lastDecided = now;
    }

    /// <summary>The tools by their Unix user; none where tools have no users of their own.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ToolsByUserAsync(CancellationToken cancellationToken)
    {
        if (accounts.Mode != AccountMode.MultiUser)
        {
            return new Dictionary<string, string>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tools = await db.Tools.AsNoTracking().Select(t => new { t.Name, t.UnixUser }).ToListAsync(cancellationToken);
        return tools.DistinctBy(t => t.UnixUser, StringComparer.Ordinal).ToDictionary(t => t.UnixUser, t => t.Name, StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = 2500, Level = LogLevel.Warning, Message = "A job Toolgrid did not start runs as a tool's user ({Tool}, job {JobId}): {Warning}")]
    private partial void LogFound(string tool, string jobId, string warning);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Error, Message = "Looking for jobs Toolgrid did not start failed; looking again at the next tick")]
    private partial void LogCheckFailed(Exception exception);
}
