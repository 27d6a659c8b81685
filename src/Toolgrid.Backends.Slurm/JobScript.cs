using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.Slurm;

/// <summary>
/// The batch script a run is submitted as (on sbatch's standard input; slurmctld keeps it, so
/// no file is shared). It sets the run's umask, <c>HOME</c> and environment, changes to the working
/// directory, and replaces itself with <c>/bin/sh -c COMMAND</c>: the command is the job's batch
/// step, so its exit code or signal is the job's, and <c>scancel</c>'s signals reach it directly.
/// </summary>
/// <remarks>
/// slurmstepd supervises the job: it puts it in the job's cgroup, signals every process in it on
/// <c>scancel</c> (SIGTERM, SIGKILL after <c>KillWait</c>) and reports its end. The script changes
/// directory itself because slurmstepd, when <c>-D</c> does not exist on the node, runs the job in
/// <c>/tmp</c> instead with only a line on standard error (checked); here the run fails with exit
/// code 1 and says why. Every value a user typed (command, environment) appears once, single-quoted.
/// A run with a health check script starts its loop (<see cref="HealthLoop"/>) before the
/// <c>exec</c>, detached so that it is no child of the command: the loop ends when the command's
/// process (the job's first) has gone, and slurmstepd kills what is left in the job's cgroup when
/// the batch step ends.
/// An interactive run's script is run by <c>srun</c> from a file of the tool's user in its home
/// (srun's arguments are anybody's to read), and removes that file first.
/// </remarks>
public static partial class JobScript
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary>The script of <paramref name="launch"/>.</summary>
    /// <exception cref="ArgumentException">An environment variable's name is not a shell identifier.</exception>
    public static string For(RunLaunch launch)
    {
        var directory = Quote(launch.WorkingDirectory ?? launch.Home);
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append(CultureInfo.InvariantCulture, $"# Run {launch.RunId} of {launch.Tool.ReplaceLineEndings(" ")}/{launch.Job.ReplaceLineEndings(" ")}, submitted by toolgridd.\n");
        if (launch.Interactive)
        {
            // An interactive run's script is a file of the tool's (SessionScript), passed to the
            // client by its path: read from here on through the shell's descriptor, it goes at once.
            // Named here, not as $0, which is whatever the shell was started as.
            script.Append(CultureInfo.InvariantCulture, $"/bin/rm -f -- {Quote(SessionScript.PathOf(launch.Home, launch.RunId))}\n");
        }

        if (launch.Interactive && launch.Terminal is null)
        {
            // Without a terminal, the run's output is its standard output and error merged, as on
            // the local backend; srun's own messages stay on srun's standard error.
            script.Append("exec 2>&1\n");
        }

        script.Append(CultureInfo.InvariantCulture, $"umask {Convert.ToString(launch.Umask & 0x1FF, 8).PadLeft(4, '0')}\n");
        script.Append(CultureInfo.InvariantCulture, $"export HOME={Quote(launch.Home)}\n");
        foreach (var (name, value) in launch.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!VariableName().IsMatch(name))
            {
                throw new ArgumentException($"the environment variable name '{name}' of run {launch.RunId} is not a shell identifier (letters, digits and '_', not starting with a digit).", nameof(launch));
            }

            script.Append(CultureInfo.InvariantCulture, $"export {name}={Quote(value)}\n");
        }

        script.Append(CultureInfo.InvariantCulture, $"cd {directory} || {{ echo \"toolgrid: cannot change to the working directory \"{directory}\" on $(hostname)\" >&2; exit 1; }}\n");
        script.Append(HealthLoop.Start(launch, detached: true));
        script.Append(CultureInfo.InvariantCulture, $"exec /bin/sh -c {Quote(launch.Command)}\n");
        return script.ToString();
    }

    /// <summary>A single-quoted shell word: exactly <paramref name="value"/>.</summary>
    public static string Quote(string value) => ShellWord.Quote(value);
}
