using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Tools;
using Toolgrid.Store.Changes;

namespace Toolgrid.Store.Tests;

/// <summary>What the store's contexts tell <see cref="StoreChanges"/>: each committed save, with its rows.</summary>
public sealed class StoreChangesTests : IAsyncLifetime
{
    private readonly List<IReadOnlyList<StoreChange>> _heard = [];
    private TempStore _store = null!;
    private IDisposable _listening = null!;

    public async Task InitializeAsync()
    {
        _store = await TempStore.CreateAsync();
        _listening = _store.Services.GetRequiredService<StoreChanges>().Listen(changes =>
        {
            lock (_heard)
            {
                _heard.Add(changes);
            }
        });
    }

    public async Task DisposeAsync()
    {
        _listening.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_save_is_heard_with_its_rows_and_what_changed_in_them()
    {
        await using (var db = _store.NewContext())
        {
            db.Tools.Add(Sample.Tool());
            db.Nodes.Add(Sample.Node());
            await db.SaveChangesAsync();
        }

        await using (var db = _store.NewContext())
        {
            var node = await db.Nodes.SingleAsync();
            node.LastSeenAt = Sample.Now.AddMinutes(1);
            await db.SaveChangesAsync();
        }

        Assert.Equal(2, _heard.Count);
        Assert.Equal(3, _heard[0].Count(c => c.State == EntityState.Added && c.Entity is Tool or Maintainer));
        var seen = Assert.Single(_heard[1]);
        Assert.Equal((EntityState.Modified, false, true), (seen.State, seen.Touches(nameof(Node.State)), seen.Touches(nameof(Node.LastSeenAt))));
    }

    [Fact]
    public async Task A_save_in_a_transaction_is_heard_at_its_commit_and_never_when_it_is_rolled_back()
    {
        await using var db = _store.NewContext();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Nodes.Add(Sample.Node("node1"));
            await db.SaveChangesAsync();
            Assert.Empty(_heard);
            await transaction.CommitAsync();
        }

        Assert.Single(_heard);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Nodes.Add(Sample.Node("node2"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Single(_heard);
    }

    [Fact]
    public async Task A_save_that_fails_is_not_heard()
    {
        await using (var db = _store.NewContext())
        {
            db.Nodes.Add(Sample.Node("node1"));
            await db.SaveChangesAsync();
        }

        await using (var db = _store.NewContext())
        {
            db.Nodes.Add(Sample.Node("node1"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        Assert.Single(_heard);
    }
}
