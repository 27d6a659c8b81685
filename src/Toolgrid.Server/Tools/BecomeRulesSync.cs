using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Errors;
using Toolgrid.Store;

namespace Toolgrid.Server.Tools;

/// <summary>
/// Keeps the rules of <c>toolgrid become</c> (the sudoers drop-in) in step with the store's
/// active tools: once at start, and after a tool is created or deleted.
/// </summary>
/// <remarks>
/// <para>
/// Adding or removing a maintainer and disabling a tool bring the tool's own line up to date
/// in the accounts themselves; a whole sync puts right what those could not (a grant that
/// failed, a tool deleted while toolgridd was down, a drop-in edited by hand).
/// </para>
/// <para>
/// Multi-user mode only (toolgridd as root): in single-user mode there is nobody to become.
/// A sync that fails (sudo not installed, visudo refusing the text) is logged as a warning and
/// never stops toolgridd or fails the request that caused it: the old rules stay, and the next
/// sync tries again.
/// </para>
/// </remarks>
public sealed partial class BecomeRulesSync(
    IToolAccounts accounts,
    IDbContextFactory<ToolgridDbContext> contexts,
    ILogger<BecomeRulesSync> logger) : IHostedService
{
    /// <summary>Makes the rules say exactly the store's active tools. Never throws but for cancellation.</summary>
    /// <returns>Whether the rules are now in step (true also when there are none to keep, in single-user mode).</returns>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        if (accounts.Mode != AccountMode.MultiUser)
        {
            return true;
        }

        try
        {
            List<string> active;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                active = await db.Tools.AsNoTracking().Where(t => t.DisabledAt == null).Select(t => t.Name).ToListAsync(cancellationToken);
            }

            await accounts.SyncBecomeRulesAsync(active, cancellationToken);
            LogSynced(active.Count);
            return true;
        }
        catch (ToolgridException e)
        {
            LogFailed(e.Message);
            return false;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken) => await SyncAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "The rules of 'toolgrid become' follow the store: {Count} active tool(s).")]
    private partial void LogSynced(int count);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "The rules of 'toolgrid become' could not be brought in step with the store; the old rules stay until the next sync (at start, or when a tool is created or deleted): {Reason}")]
    private partial void LogFailed(string reason);
}
