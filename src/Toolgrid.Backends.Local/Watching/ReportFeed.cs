using System.Threading.Channels;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Watching;

/// <summary>
/// Hands reports to every watcher, each run's phase once (a report repeats only when the phase
/// changed), and each change of a running run's health verdict once (a report without a verdict
/// says nothing new about its health).
/// </summary>
internal sealed class ReportFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<BackendRunReport>> _watchers = [];
    private readonly Dictionary<long, (BackendRunPhase Phase, bool? Healthy)> _published = [];
    private bool _completed;

    public ChannelReader<BackendRunReport> Subscribe()
    {
        var channel = Channel.CreateUnbounded<BackendRunReport>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            if (_completed)
            {
                channel.Writer.Complete();
            }
            else
            {
                _watchers.Add(channel);
            }
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<BackendRunReport> reader)
    {
        lock (_gate)
        {
            _watchers.RemoveAll(channel => channel.Reader == reader);
        }
    }

    public void Publish(BackendRunReport report)
    {
        lock (_gate)
        {
            if (_published.TryGetValue(report.RunId, out var known) && known.Phase == report.Phase &&
                (report.Healthy is null || report.Healthy == known.Healthy))
            {
                return;
            }

            _published[report.RunId] = (report.Phase, report.Healthy ?? (known.Phase == report.Phase ? known.Healthy : null));
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(report);
            }
        }
    }

    /// <summary>Drops what is kept of runs that are no longer in the run directory.</summary>
    public void Retain(IReadOnlySet<long> runIds)
    {
        lock (_gate)
        {
            foreach (var runId in _published.Keys.Where(id => !runIds.Contains(id)).ToList())
            {
                _published.Remove(runId);
            }
        }
    }

    public void Forget(long runId)
    {
        lock (_gate)
        {
            _published.Remove(runId);
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }
}
