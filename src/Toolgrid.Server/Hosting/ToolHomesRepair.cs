using Microsoft.EntityFrameworkCore;
using Toolgrid.Accounts;
using Toolgrid.Store;

namespace Toolgrid.Server.Hosting;

/// <summary>
/// At start, brings every tool's home (deleted tools' too: their files are kept) to the
/// configured mode (<see cref="ToolAccountsOptions.HomeMode"/>), so that homes made under an
/// earlier default are closed as well. A home that cannot be changed is logged and left; it never
/// stops toolgridd.
/// </summary>
public sealed class ToolHomesRepair(ToolAccounts accounts, IDbContextFactory<ToolgridDbContext> contexts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<string> tools;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            tools = await db.Tools.AsNoTracking().Select(t => t.Name).ToListAsync(cancellationToken);
        }

        accounts.RepairHomes(tools);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
