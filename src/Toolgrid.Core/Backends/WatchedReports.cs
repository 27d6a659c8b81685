namespace Toolgrid.Core.Backends;

/// <summary>What a grid backend's watch yields of a read of its engine: the reports that changed since it last reported each run.</summary>
public static class WatchedReports
{
    /// <summary>
    /// The reports whose phase or node differ from the last one of their run in <paramref name="last"/>,
    /// which then holds these.
    /// </summary>
    /// <param name="last">The last report of each run, kept by the watch between reads.</param>
    /// <param name="reports">What this read found.</param>
    /// <param name="whole">Whether the read covered every run (a full read): then a run it did not report is forgotten, and reported again when it is seen again; a read of the ends file covers only the runs it names.</param>
    public static List<BackendRunReport> Changed(Dictionary<long, BackendRunReport> last, IReadOnlyList<BackendRunReport> reports, bool whole)
    {
        var changed = reports.Where(r => !last.TryGetValue(r.RunId, out var before) || before.Phase != r.Phase || before.Node != r.Node).ToList();
        if (whole)
        {
            last.Clear();
        }

        foreach (var report in reports)
        {
            last[report.RunId] = report;
        }

        return changed;
    }
}
