using System.Globalization;
using Toolgrid.Core.Backends;

namespace Toolgrid.Core.Health;

/// <summary>
/// The part of a grid run's job script that runs its health check script: a loop in the
/// background of the job, so on the run's node, as the tool, with the run's environment and
/// limits, that runs the check every interval within its timeout and writes each result
/// (<see cref="ScriptResult"/>) to the run's file in the tool's home, where toolgridd on the
/// login host reads it.
/// </summary>
/// <remarks>
/// <para>
/// Each check is <c>timeout -k 1 T /bin/sh -c SCRIPT</c> (coreutils), with no input and its
/// output discarded: past its timeout it gets SIGTERM, and SIGKILL a second later, it and all it
/// started (timeout runs it in a process group of its own), and the result is 124. A result is
/// written to a temporary name and renamed over the file, so the file always holds one whole line.
/// </para>
/// <para>
/// The loop dies with the job. It runs while the job's first process (<c>$$</c>: the job
/// script, or on Slurm the command it became) lives. A SIGTERM (the job script's own when the
/// command ended, the job script's stop on <c>qdel</c>, slurmstepd's on <c>scancel</c>) makes it
/// end its check's whole group at once and exit; what escapes a SIGKILL of the job (the check's
/// group, on SGE) ends by its timeout. On Slurm the job's cgroup holds the loop as well. It holds
/// none of the job's standard streams (an interactive client waits for their end). It
/// ignores SIGUSR2, which SGE's <c>-notify</c> sends the job's process group before a
/// <c>qdel</c>, as the command does. Every value appears once, single-quoted.
/// </para>
/// </remarks>
public static class HealthLoop
{
    /// <summary>The shell variable the fragment leaves the loop's PID in.</summary>
    public const string PidVariable = "toolgrid_health";

    /// <summary>The lines that start the loop of <paramref name="launch"/>, or "" when it has no health check script.</summary>
    /// <param name="launch">The run.</param>
    /// <param name="detached">
    /// Whether the loop is left to no parent (on Slurm, where the job script then becomes the
    /// command, whose own <c>wait</c> or <c>SIGCHLD</c> handling must not meet a child it did not
    /// start); otherwise it is the job script's child, its PID in <see cref="PidVariable"/>, for
    /// <see cref="Stop"/>.
    /// </param>
    public static string Start(RunLaunch launch, bool detached)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.HealthCheck is not { Script: { } script } check)
        {
            return string.Empty;
        }

        var file = ScriptResult.PathOf(launch.Home, launch.RunId);
        var interval = Seconds(check.Interval);
        var timeout = Seconds(check.Timeout);
        var loop = $$"""
            (
                trap '' USR2
                trap 'kill -TERM "$check" 2>/dev/null; exit 0' TERM
                check=
                while kill -0 $$ 2>/dev/null; do
                    timeout -k 1 {{timeout}} /bin/sh -c {{ShellWord.Quote(script)}} </dev/null >/dev/null 2>&1 &
                    check=$!
                    wait "$check"
                    result=$?
                    printf '%s %s\n' "$result" "$(date +%s%N)" >{{ShellWord.Quote(file + ".new")}} && mv -f {{ShellWord.Quote(file + ".new")}} {{ShellWord.Quote(file)}}
                    sleep {{interval}} &
                    check=$!
                    wait "$check"
                done
            ) </dev/null >/dev/null 2>&1 &
            """;
        var comment = $"# The health check script, every {interval} s, within {timeout} s; each result to the run's file for toolgridd.\n";
        return detached
            ? comment + "(\n" + loop + "\n)\n"
            : comment + loop + "\n" + PidVariable + "=$!\n";
    }

    /// <summary>The line that stops the loop, if there is one, when the job ends; "" when it has no health check script.</summary>
    public static string Stop(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return launch.HealthCheck is { Script: not null } ? $"kill -TERM \"${PidVariable}\" 2>/dev/null\n" : string.Empty;
    }

    /// <summary>Whole seconds, at least one: what <c>sleep</c> and <c>timeout</c> are given.</summary>
    private static string Seconds(TimeSpan time) =>
        Math.Max(1, (long)Math.Ceiling(time.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
