using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Toolgrid.Store;

/// <summary>
/// Tells a loop that polls the store whether anything was committed to it since the loop last
/// asked, by any connection of any process, so that a poll that finds nothing new costs next to
/// nothing: on SQLite, <c>PRAGMA data_version</c> on a connection kept for it.
/// </summary>
/// <remarks>
/// <see cref="Changes.StoreChanges"/> sees only this process's saves; this sees every commit, also those
/// of another process sharing the store (an API role run apart) and bulk statements. Elsewhere
/// than SQLite it always answers that something may have changed. One reader at a time.
/// </remarks>
public sealed class StoreCommits(IDbContextFactory<ToolgridDbContext> contexts) : IAsyncDisposable
{
    private SqliteConnection? _connection;
    private bool _unsupported;
    private long? _last;

    /// <summary>Whether anything was committed since the last call; true at the first call.</summary>
    public async Task<bool> SinceLastAskedAsync(CancellationToken cancellationToken)
    {
        if (_unsupported)
        {
            return true;
        }

        if (_connection is null)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!db.Database.IsSqlite())
            {
                _unsupported = true;
                return true;
            }

            var connection = new SqliteConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
            _connection = connection;
        }

        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var changed = version != _last;
        _last = version;
        return changed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
