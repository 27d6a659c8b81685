using System.Globalization;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Supervision;

/// <summary>
/// Which of the jobs an engine lists that Toolgrid did not start are reported, and in what words:
/// those under a tool's Unix user. Toolgrid never adopts them (a tool can submit a job of any
/// name), so they are not supervised, restarted or counted; the report says so, and what to do.
/// </summary>
/// <remarks>
/// A job of anyone else (a person, a daemon) is none of Toolgrid's business and is not reported.
/// The same rule for every engine: the backends only list (<see cref="IOutsideJobs"/>).
/// </remarks>
public static class OutsideJobRule
{
    /// <summary>
    /// The jobs of <paramref name="jobs"/> that run as a tool's user: the user of a tool in the
    /// store (<paramref name="toolsByUser"/>, tool by Unix user name; empty where tools have no
    /// users of their own), or a user <paramref name="isToolUser"/> says is a tool's (the tools'
    /// uid range or prefix). In the order of their job ids.
    /// </summary>
    public static IReadOnlyList<ToolOutsideJob> Decide(
        IReadOnlyList<OutsideJob> jobs,
        IReadOnlyDictionary<string, string> toolsByUser,
        Func<OutsideJob, bool> isToolUser)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(toolsByUser);
        ArgumentNullException.ThrowIfNull(isToolUser);
        var found = new List<ToolOutsideJob>();
        foreach (var job in jobs.OrderBy(j => j.JobId.Length).ThenBy(j => j.JobId, StringComparer.Ordinal))
        {
            if (toolsByUser.TryGetValue(job.Owner, out var tool))
            {
                found.Add(new ToolOutsideJob(tool, job));
            }
            else if (isToolUser(job))
            {
                found.Add(new ToolOutsideJob(null, job));
            }
        }

        return found;
    }

    /// <summary>The warning for <paramref name="found"/>, a job of <paramref name="engine"/>, which <paramref name="deleteProgram"/> deletes.</summary>
    public static string Warning(ToolOutsideJob found, string engine, string deleteProgram)
    {
        ArgumentNullException.ThrowIfNull(found);
        var job = found.Job;
        var whose = found.Tool is { } tool
            ? $"tool {tool} (Unix user {Printable(job.Owner)})"
            : $"Unix user {Printable(job.Owner)}{(job.Uid is { } uid ? " (uid " + uid.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty)}, a tool's user that no tool here has";
        return $"{engine} job {Printable(job.JobId)} '{Printable(job.Name)}' of {whose} was not started by Toolgrid: it is not supervised, restarted or counted against the tool's limits; "
            + $"delete it with `{deleteProgram} {Printable(job.JobId)}`, or submit it through Toolgrid (`toolgrid jobs run`)";
    }

    // The engine says what a submitter typed: no control characters reach a terminal or a log line.
    private static string Printable(string text) =>
        InputText.Shorten(string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)));
}
