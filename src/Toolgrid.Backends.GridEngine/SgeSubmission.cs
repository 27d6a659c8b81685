using System.Globalization;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.GridEngine;

/// <summary>One job to submit: who it runs as, where, with what limits, and its script.</summary>
/// <param name="JobName">The job's name, <c>tg-RUNID</c>.</param>
/// <param name="UnixUser">The Unix user it is submitted as, and so runs as.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="Gid">Its primary gid.</param>
/// <param name="Queue">The cluster queue.</param>
/// <param name="WorkingDirectory">Its working directory (absolute).</param>
/// <param name="StdoutPath">Where standard output is appended.</param>
/// <param name="StderrPath">Where standard error is appended.</param>
/// <param name="MemoryBytes">Its <c>h_vmem</c>; null for the queue's default.</param>
/// <param name="Script">The job script (<see cref="JobScript"/>).</param>
public sealed record SgeSubmission(
    string JobName,
    string UnixUser,
    int Uid,
    int Gid,
    string Queue,
    string WorkingDirectory,
    string StdoutPath,
    string StderrPath,
    long? MemoryBytes,
    string Script)
{
    /// <summary>The job name prefix that marks Toolgrid's jobs: <c>tg-RUNID</c>.</summary>
    public const string NamePrefix = "tg-";

    /// <summary>The submission of <paramref name="launch"/> to <paramref name="queue"/>.</summary>
    public static SgeSubmission For(RunLaunch launch, string queue) =>
        new(
            NameOf(launch.RunId),
            launch.UnixUser,
            launch.Uid,
            launch.Gid,
            queue,
            launch.WorkingDirectory ?? launch.Home,
            launch.StdoutPath ?? "/dev/null",
            launch.StderrPath ?? "/dev/null",
            launch.MemoryBytes > 0 ? launch.MemoryBytes : null,
            JobScript.For(launch));

    /// <summary>The job name of a run.</summary>
    public static string NameOf(long runId) => NamePrefix + runId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The run a job name names, or null when it is not of the form <c>tg-RUNID</c>.</summary>
    public static long? RunIdOf(string jobName) =>
        jobName.StartsWith(NamePrefix, StringComparison.Ordinal)
        && long.TryParse(jobName.AsSpan(NamePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
        && runId > 0
            ? runId
            : null;

    /// <summary>
    /// qsub's arguments. <c>-clear</c> comes first: it drops whatever the user's
    /// <c>~/.sge_request</c> (or the cell's <c>sge_request</c>) would add, so a tool cannot give its
    /// jobs another queue or more memory than its run was granted.
    /// </summary>
    public IReadOnlyList<string> QsubArguments()
    {
        List<string> arguments =
        [
            "-clear", "-terse", "-N", JobName, "-q", Queue, "-wd", WorkingDirectory,
            "-o", StdoutPath, "-e", StderrPath, "-j", "n", "-r", "n", "-S", "/bin/sh", "-notify",
        ];
        if (MemoryBytes is { } memory)
        {
            arguments.AddRange(["-l", "h_vmem=" + memory.ToString(CultureInfo.InvariantCulture)]);
        }

        return arguments;
    }
}
