using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Notifications;

/// <summary>Reads the last lines of a job's output for a notice (implemented by Toolgrid.Notifications).</summary>
/// <remarks>
/// The output files are in the tool's home, which the tool controls: an implementation must not
/// follow a link out of the home, nor block on a FIFO, nor read without a cap. It never throws for
/// a file it cannot read: the excerpt says so instead.
/// </remarks>
public interface IOutputExcerpts
{
    /// <summary>The last lines of <paramref name="job"/>'s output files under <paramref name="home"/>, capped; null when there is no output to show.</summary>
    string? Read(string home, Job job);
}
