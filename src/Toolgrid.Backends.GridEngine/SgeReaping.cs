using Toolgrid.Backends.GridEngine.Engine;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// What is left to do for a job Toolgrid deleted after its execd went silent, once qstat no longer
/// lists it. When the execd comes back and reports the job failed, SGE 8.1.9's qmaster puts the
/// host's queue instances in error (<c>E</c>, "marked QERROR as result of job N's failure"): the
/// node, whole again, would take no work until an admin ran <c>qmod -cq</c>. That error is the
/// node's loss, which Toolgrid already handled, not a fault of the queue; so those instances, and
/// only those naming the job, are cleared.
/// </summary>
internal static class SgeReaping
{
    /// <summary>
    /// Where the job's host stands, and the queue instances of the host in error because of the job
    /// (only once it is <see cref="SgeHostReturn.Back"/>).
    /// </summary>
    public static (SgeHostReturn Host, IReadOnlyList<SgeQueueInstance> InErrorBecauseOfJob) AfterJobGone(
        long jobNumber, string host, IReadOnlyList<SgeQueueInstance> queueInstances, IReadOnlySet<string> silent)
    {
        var onHost = queueInstances.Where(q => string.Equals(q.Host, host, StringComparison.Ordinal)).ToList();
        if (onHost.Count == 0)
        {
            return (SgeHostReturn.LeftCell, []);
        }

        if (silent.Contains(host) || onHost.Any(q => q.Unknown))
        {
            // Not back yet: its execd may still report the job failed when it is.
            return (SgeHostReturn.NotBack, []);
        }

        return (SgeHostReturn.Back, onHost.Where(q => q.FailedJobs.Contains(jobNumber)).ToList());
    }
}

/// <summary>Where the host of a job Toolgrid deleted stands (<see cref="SgeReaping"/>).</summary>
internal enum SgeHostReturn
{
    /// <summary>Its execd is silent, or the qmaster has it unknown.</summary>
    NotBack,

    /// <summary>Its execd answers and the qmaster hears it.</summary>
    Back,

    /// <summary>Taken out of the cell (<c>qconf -de</c>): nothing of it is left to clear.</summary>
    LeftCell,
}
