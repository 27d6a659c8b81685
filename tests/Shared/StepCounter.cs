using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Toolgrid.Tests.Store;

/// <summary>
/// Counts SQLite's virtual machine steps (its progress handler, every 10 steps) on every
/// connection it sees opened, while <see cref="Measure"/> is in force, in the flow that called it
/// and the flows that flow starts: a read the test makes itself, or a request served in process
/// by a TestServer that keeps the caller's execution context. What other flows do on the same
/// store meanwhile (a hosted service) is not counted.
/// </summary>
public sealed class StepCounter : DbConnectionInterceptor
{
    private readonly AsyncLocal<bool> _measuring = new();
    private long _steps;

    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Counts from zero in this flow until disposed.</summary>
    public IDisposable Measure()
    {
        Interlocked.Exchange(ref _steps, 0);
        _measuring.Value = true;
        return new Stop(this);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Count(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Count(connection);
        return Task.CompletedTask;
    }

    private void Count(DbConnection connection) =>
        SQLitePCL.raw.sqlite3_progress_handler(((SqliteConnection)connection).Handle, 10, _ => OnProgress(), null);

    private int OnProgress()
    {
        if (_measuring.Value)
        {
            Interlocked.Add(ref _steps, 10);
        }

        return 0;
    }

    private sealed class Stop(StepCounter counter) : IDisposable
    {
        public void Dispose() => counter._measuring.Value = false;
    }
}
