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
/// <param name="StdoutPath">Where standard output is appended (a batch job's).</param>
/// <param name="StderrPath">Where standard error is appended (a batch job's).</param>
/// <param name="MemoryBytes">Its <c>h_vmem</c>; null for the queue's default.</param>
/// <param name="Script">The job script (<see cref="JobScript"/>).</param>
/// <param name="NotBefore">When SGE may start it (<c>-a</c>); null for at once.</param>
/// <param name="RuntimeSeconds">Its run time limit (<c>-l h_rt</c>, whole seconds); null for none.</param>
/// <param name="AvoidHosts">Hosts it is kept off while another can take it (<c>-soft -l hostname=!A&amp;!B</c>): those whose execd does not answer although the qmaster still takes them for up.</param>
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
    string Script,
    DateTimeOffset? NotBefore = null,
    long? RuntimeSeconds = null,
    IReadOnlyCollection<string>? AvoidHosts = null)
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
            JobScript.For(launch),
            launch.NotBefore,
            launch.Timeout is { } timeout ? (long)Math.Ceiling(timeout.TotalSeconds) : null);

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
    /// A start time as qsub's <c>-a</c> reads it, <c>CCYYMMDDhhmm.SS</c>, in UTC: qsub reads it in
    /// its own time zone, and <see cref="SgeClient"/> runs qsub with <c>TZ=UTC</c>. A fraction of a
    /// second is rounded up, so that the job never starts before <paramref name="at"/>.
    /// </summary>
    public static string StartTimeOf(DateTimeOffset at)
    {
        var second = at.UtcDateTime;
        var whole = new DateTime(second.Ticks - (second.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        return (whole < second ? whole.AddSeconds(1) : whole).ToString("yyyyMMddHHmm.ss", CultureInfo.InvariantCulture);
    }

    /// <summary>qsub's arguments: the job's (<see cref="JobArguments"/>), its log files, and its start time.</summary>
    public IReadOnlyList<string> QsubArguments()
    {
        List<string> arguments = ["-clear", "-terse", .. JobArguments(), "-o", StdoutPath, "-e", StderrPath, "-j", "n", "-r", "n", "-S", "/bin/sh"];
        if (NotBefore is { } notBefore)
        {
            arguments.AddRange(["-a", StartTimeOf(notBefore)]);
        }

        return arguments;
    }

    /// <summary>
    /// The arguments of <c>qrsh</c> that makes an interactive run's job and runs its script file
    /// (<c>/bin/sh SCRIPT_PATH</c>, as arguments: <c>-noshell</c> keeps them apart, never a shell
    /// line of toolgridd's) on the node Grid Engine chooses: the job's options as with qsub,
    /// <c>-pty y</c> for a terminal (<c>-pty n</c> for pipes), and <c>-now y</c>, Grid Engine's own
    /// default for qrsh: the session starts at once, or qrsh says it could not be scheduled and ends
    /// (a full queue refuses it rather than keep the caller waiting).
    /// </summary>
    /// <remarks>
    /// The script is never an argument: it holds the run's environment, and qrsh's command line is
    /// readable by every user of the login host (<c>ps</c>), travels with the job (<c>qstat -j</c>
    /// shows it to anyone) and is the node's shell's command line too.
    /// </remarks>
    public IReadOnlyList<string> QrshArguments(bool terminal, string scriptPath) =>
    [
        "-clear", "-now", "y", "-pty", terminal ? "y" : "n", .. JobArguments(), "-noshell", "/bin/sh", scriptPath,
    ];

    /// <summary>
    /// The options of the job itself, the same for qsub and qrsh. <c>-clear</c> comes first in
    /// both: it drops whatever the user's <c>~/.sge_request</c> (or the cell's <c>sge_request</c>)
    /// would add, so a tool cannot give its jobs another queue or more memory than its run was granted.
    /// </summary>
    private List<string> JobArguments()
    {
        List<string> arguments = ["-N", JobName, "-q", Queue, "-wd", WorkingDirectory, "-notify"];
        if (MemoryBytes is { } memory)
        {
            arguments.AddRange(["-l", "h_vmem=" + memory.ToString(CultureInfo.InvariantCulture)]);
        }

        if (RuntimeSeconds is { } runtime)
        {
            // At h_rt the execd sends the -notify signal (SIGUSR2), which the job script turns into
            // the run's stop: SIGTERM, SIGKILL after its grace period. SGE's own SIGKILL follows
            // after the queue's notify time. The accounting record keeps h_rt in its category.
            arguments.AddRange(["-l", "h_rt=" + runtime.ToString(CultureInfo.InvariantCulture)]);
        }

        if (AvoidHosts is { Count: > 0 } avoid)
        {
            // A soft request: the scheduler keeps the job off those hosts while another queue
            // instance can take it, and never holds it pending for them. A hard one would hold it
            // for good: a job keeps its requests, so a probe that found every host silent (a
            // login host too busy to see a connect within the timeout) left it waiting forever.
            arguments.AddRange(["-soft", "-l", "hostname=" + string.Join('&', avoid.Order(StringComparer.Ordinal).Select(host => "!" + host)), "-hard"]);
        }

        return arguments;
    }
}
