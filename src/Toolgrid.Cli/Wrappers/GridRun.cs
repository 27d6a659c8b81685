using System.Globalization;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Wrappers;

/// <summary>A run that is queued, starting or running, as <c>qstat</c> and <c>qdel</c> see it: the grid's "job", numbered by the run's id.</summary>
/// <param name="Job">Its job.</param>
/// <param name="Run">The run.</param>
internal sealed record GridRun(JobView Job, RunView Run)
{
    /// <summary>The active runs of the tool's jobs (the API lists each job's active runs), by number.</summary>
    public static IReadOnlyList<GridRun> Active(IEnumerable<JobView> jobs) =>
        jobs.SelectMany(j => j.Runs.Where(r => r.State is "queued" or "starting" or "running").Select(r => new GridRun(j, r)))
            .OrderBy(r => r.Run.Id)
            .ToList();

    /// <summary>Qstat's state letters: <c>qw</c> queued and waiting, <c>t</c> being started, <c>r</c> running, <c>dr</c> being deleted.</summary>
    public string State => Run.State switch
    {
        "queued" => "qw",
        "starting" => "t",
        _ when Job.Deleting => "dr",
        _ => "r",
    };

    /// <summary>SGE's <c>queue@host</c>, once the run has a node.</summary>
    public string Queue => Run.Node is { Length: > 0 } node ? $"{Job.Queue}@{node}" : "";

    /// <summary>When it started, or else when it was submitted, as qstat printed it (<c>06/01/2025 12:00:00</c>).</summary>
    public string At(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var local = TimeZoneInfo.ConvertTime(Run.StartedAt ?? Run.SubmittedAt, time.LocalTimeZone);
        return local.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
