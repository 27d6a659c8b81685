using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>
/// A backend's watch, read in order: subscribed as soon as it is made (so nothing published after
/// that is missed), with every report read kept in <see cref="Seen"/>.
/// </summary>
internal sealed class ReportReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly IAsyncEnumerator<BackendRunReport> _reports;
    private readonly List<BackendRunReport> _seen = [];
    private Task<bool> _next;

    public ReportReader(LocalBackend backend, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reports = backend.WatchAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);

        // The watch subscribes when it is first asked for a report.
        _next = _reports.MoveNextAsync().AsTask();
    }

    /// <summary>Every report read so far, in the order of the watch.</summary>
    public IReadOnlyList<BackendRunReport> Seen => _seen;

    /// <summary>Reads on until a report matches <paramref name="wanted"/>, and returns it.</summary>
    public async Task<BackendRunReport> NextAsync(Func<BackendRunReport, bool> wanted)
    {
        while (true)
        {
            Assert.True(await _next, "the watch ended");
            var report = _reports.Current;
            _seen.Add(report);
            _next = _reports.MoveNextAsync().AsTask();
            if (wanted(report))
            {
                return report;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The read still pending ends with the watch's cancellation; then the watch can be let go.
        await _stop.CancelAsync();
        try
        {
            await _next;
        }
        catch (OperationCanceledException)
        {
        }

        await _reports.DisposeAsync();
        _stop.Dispose();
    }
}
