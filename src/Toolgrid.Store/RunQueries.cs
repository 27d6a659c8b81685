using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Store;

/// <summary>
/// Reads of runs that cost the same whatever the length of a job's history: each job's newest
/// run by one seek of the index of runs by job, and its runs that have not ended through the
/// index of those alone (<see cref="NotEndedFilter"/>), never by reading the runs that have.
/// </summary>
public static class RunQueries
{
    private static readonly RunState[] Ended = [.. Enum.GetValues<RunState>().Where(s => s.IsTerminal())];

    /// <summary>
    /// The filter of the index of runs not ended, by job: SQLite uses a partial index only for a
    /// query whose WHERE has the same term, which <see cref="NotEnded"/> writes (the same states,
    /// inlined in the same order).
    /// </summary>
    internal static string NotEndedFilter => $"\"State\" NOT IN ({string.Join(", ", Ended.Select(s => $"'{s}'"))})";

    /// <summary>The runs that have not ended (queued, starting, running, stopping).</summary>
    public static IQueryable<Run> NotEnded(this IQueryable<Run> runs) => runs.Where(r => !EF.Constant(Ended).Contains(r.State));

    /// <summary>The id of each job's newest run that <paramref name="which"/> takes (every run when null); a job with none is left out.</summary>
    public static IQueryable<long> NewestRunIds(this ToolgridDbContext db, IQueryable<Job> jobs, Expression<Func<Run, bool>>? which = null)
    {
        var runs = which is null ? db.Runs : db.Runs.Where(which);
        return jobs
            .Select(j => runs.Where(r => r.JobId == j.Id).OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefault())
            .Where(id => id != null)
            .Select(id => id!.Value);
    }
}
