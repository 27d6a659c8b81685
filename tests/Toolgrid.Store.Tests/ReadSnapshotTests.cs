using Microsoft.EntityFrameworkCore;

namespace Toolgrid.Store.Tests;

public sealed class ReadSnapshotTests : IAsyncLifetime
{
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task QueriesInASnapshot_ReadOneState_WhileAnotherConnectionCommits()
    {
        await using var reader = _store.NewContext();
        await using var snapshot = await ReadSnapshot.BeginAsync(reader, CancellationToken.None);
        Assert.Equal(0, await reader.Tools.CountAsync());

        // The writer is not held up by the open snapshot: its commit goes through at once.
        await using (var writer = _store.NewContext())
        {
            writer.Tools.Add(Sample.Tool());
            await writer.SaveChangesAsync();
        }

        Assert.Equal(0, await reader.Tools.CountAsync());
        await snapshot.CommitAsync();
        Assert.Equal(1, await reader.Tools.CountAsync());
    }
}
