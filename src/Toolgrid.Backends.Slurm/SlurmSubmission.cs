using System.Globalization;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Slurm;

/// <summary>One job to submit: who it runs as, where, with what limits, and its script.</summary>
/// <param name="JobName">The job's name, <c>tg-RUNID</c>.</param>
/// <param name="UnixUser">The Unix user it is submitted as, and so runs as.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="Gid">Its primary gid.</param>
/// <param name="Partition">The partition; null for the cluster's default partition.</param>
/// <param name="WorkingDirectory">Its working directory (absolute); the script changes to it too.</param>
/// <param name="StdoutPath">Where standard output is appended.</param>
/// <param name="StderrPath">Where standard error is appended.</param>
/// <param name="MemoryBytes">Its memory limit (<c>--mem</c>, the job cgroup's limit); null for the partition's default.</param>
/// <param name="Cpus">The CPUs it books (<c>--cpus-per-task</c>).</param>
/// <param name="Script">The batch script (<see cref="JobScript"/>).</param>
/// <param name="TimeLimit">Its time limit (<c>--time</c>); null for the partition's.</param>
public sealed record SlurmSubmission(
    string JobName,
    string UnixUser,
    int Uid,
    int Gid,
    string? Partition,
    string WorkingDirectory,
    string StdoutPath,
    string StderrPath,
    long? MemoryBytes,
    int Cpus,
    string Script,
    TimeSpan? TimeLimit = null)
{
    /// <summary>The job name prefix that marks Toolgrid's jobs: <c>tg-RUNID</c>.</summary>
    public const string NamePrefix = "tg-";

    /// <summary>The submission of <paramref name="launch"/> to <paramref name="partition"/> (null: the default partition).</summary>
    /// <exception cref="ArgumentException">A log path has a <c>%</c> or <c>\</c>, which sbatch would read as a pattern.</exception>
    public static SlurmSubmission For(RunLaunch launch, string? partition) =>
        new(
            NameOf(launch.RunId),
            launch.UnixUser,
            launch.Uid,
            launch.Gid,
            partition,
            launch.WorkingDirectory ?? launch.Home,
            LogPath(launch.StdoutPath, launch.RunId),
            LogPath(launch.StderrPath, launch.RunId),
            launch.MemoryBytes > 0 ? launch.MemoryBytes : null,
            Math.Max(1, (launch.CpuMillis + 999) / 1000),
            JobScript.For(launch),
            launch.Timeout);

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
    /// A time limit as <c>--time</c> reads it, <c>MINUTES</c>: Slurm keeps time limits in whole
    /// minutes (checked: <c>--time=0:05</c> becomes <c>TimeLimit=00:01:00</c>), so a limit is rounded
    /// up to the next minute, never down.
    /// </summary>
    public static string TimeOf(TimeSpan limit) =>
        Math.Max(1, (long)Math.Ceiling(limit.TotalMinutes)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// sbatch's arguments. Every option that decides where and how the job runs is given, so
    /// nothing is left to defaults a user could set (<c>SBATCH_*</c> variables are not passed
    /// either). <c>--export=NONE</c> keeps toolgridd's environment out of the job (the script sets
    /// the run's); <c>--open-mode=append</c> keeps the earlier runs' output; <c>--no-requeue</c>
    /// leaves the retry of a run whose node failed to Toolgrid.
    /// </summary>
    public IReadOnlyList<string> SbatchArguments() =>
    [
        "--parsable", "--output=" + StdoutPath, "--error=" + StderrPath, "--open-mode=append", "--no-requeue", .. JobArguments(),
    ];

    /// <summary>
    /// The arguments of <c>srun</c> that makes an interactive run's job and runs its script file
    /// (<c>/bin/sh SCRIPT_PATH</c>, arguments, not a shell line of toolgridd's) as its one task:
    /// the job's options as with sbatch, <c>--pty</c> for a terminal, and <c>--quiet</c>. Its
    /// input and output are the client's own, attached to the caller (no log files).
    /// </summary>
    /// <remarks>
    /// The script is never an argument: it holds the run's environment, and srun's command line is
    /// readable by every user of the login host (<c>ps</c>), is kept with the job (<c>scontrol show
    /// job</c>) and is the node's shell's command line too.
    /// </remarks>
    public IReadOnlyList<string> SrunArguments(bool terminal, string scriptPath) =>
    [
        "--quiet", .. terminal ? (string[])["--pty"] : [], .. JobArguments(), "/bin/sh", scriptPath,
    ];

    /// <summary>The options of the job itself, the same for sbatch and srun.</summary>
    private List<string> JobArguments()
    {
        List<string> arguments =
        [
            "--job-name=" + JobName, "--chdir=" + WorkingDirectory, "--export=NONE", "--nodes=1", "--ntasks=1",
            "--cpus-per-task=" + Cpus.ToString(CultureInfo.InvariantCulture),
        ];
        if (Partition is not null)
        {
            arguments.Add("--partition=" + Partition);
        }

        if (MemoryBytes is { } memory)
        {
            // Kibibytes, rounded up: sbatch's plain numbers are megabytes.
            arguments.Add("--mem=" + ((memory + 1023) / 1024).ToString(CultureInfo.InvariantCulture) + "K");
        }

        if (TimeLimit is { } limit)
        {
            // Ended at its limit, the job is TIMEOUT, which SlurmEnds reports timed out.
            arguments.Add("--time=" + TimeOf(limit));
        }

        return arguments;
    }

    // sbatch replaces %j, %u… in -o/-e; a backslash turns that off for the whole name. Neither is
    // in a path Toolgrid makes; refusing them keeps a log from landing elsewhere.
    private static string LogPath(string? path, long runId) =>
        path is null ? "/dev/null"
        : path.AsSpan().IndexOfAny('%', '\\') >= 0 ? throw new ArgumentException($"the log path '{path}' of run {runId} has a '%' or '\\', which sbatch reads as a file name pattern.", nameof(path))
        : path;
}
