using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Idempotency;
using Toolgrid.Store;

namespace Toolgrid.Server.Idempotency;

/// <summary>Deletes idempotency keys and their answers once they are <see cref="IdempotencyRules.KeptFor"/> old, every hour.</summary>
/// <remarks>A key older than that counts for nothing even before it is deleted (<see cref="IdempotencyRules.Decide"/>).</remarks>
public sealed partial class IdempotencyTrimmer(IDbContextFactory<ToolgridDbContext> contexts, TimeProvider time, ILogger<IdempotencyTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Deletes the keys that are too old; returns how many.</summary>
    public async Task<int> TrimAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - IdempotencyRules.KeptFor;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.IdempotentRequests.Where(r => r.CreatedAt <= before).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var trimmed = await TrimAsync(stoppingToken);
                if (trimmed > 0)
                {
                    LogTrimmed(trimmed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Deleted {Count} idempotency keys older than a day")]
    private partial void LogTrimmed(int count);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Could not delete old idempotency keys; trying again in an hour")]
    private partial void LogFailed(Exception exception);
}
