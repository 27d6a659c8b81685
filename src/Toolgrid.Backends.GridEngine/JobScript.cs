using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Health;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Backends.GridEngine;

/// <summary>
/// The script a run is submitted as (on qsub's standard input; SGE spools it, so no file is
/// shared). It sets the run's environment and umask and runs <c>/bin/sh -c COMMAND</c>, then waits
/// for it and ends the way it ended.
/// </summary>
/// <remarks>
/// Stopping: the job is submitted with <c>-notify</c>, so <c>qdel</c> sends SIGUSR2 to the job's
/// process group (this script, the command and all it started) at once and SIGKILL after the
/// queue's <c>notify</c> time. The command starts with SIGUSR2 ignored (so a command cannot use
/// SIGUSR2 itself on SGE); this script catches it and sends SIGTERM to the process group, which it
/// ignores itself, and SIGKILL to the whole group, itself included, after the run's grace period. An end by signal N (a status of
/// 128+N from <c>wait</c>) is passed on by the script killing itself with N, so that SGE's
/// accounting says "ended by a signal" (<c>failed</c> 100) as it would for the command itself.
/// The command runs in the background of a shell without job control, which starts it with SIGINT
/// and SIGQUIT ignored, and dash (Debian's <c>/bin/sh</c>) will not let a trap undo that: it is
/// started through <c>env --default-signal=INT,QUIT</c> (coreutils 8.31 or later on the nodes), so
/// it gets them as on the local backend. Every value a user typed (command, environment) appears
/// once, single-quoted. A run with a health check script runs it in a loop beside the command
/// (<see cref="HealthLoop"/>), stopped when the command has ended.
/// <para>
/// An interactive run's script (run by <c>qrsh</c>, from a file of the tool's user in its home,
/// since qrsh's arguments are anybody's to read) is the same, with four changes: it removes its
/// file first; the command
/// gets the script's standard input (an asynchronous command of a shell without job control would
/// read <c>/dev/null</c>); the script ignores SIGINT and SIGQUIT, which a terminal's ^C and ^\ send
/// to the command and to it alike, so that only the command gets them; and without a terminal its
/// standard error is merged into its output, as on the local backend (qrsh's own messages stay on
/// qrsh's standard error).
/// </para>
/// </remarks>
public static partial class JobScript
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary>The script of <paramref name="launch"/>.</summary>
    /// <exception cref="ArgumentException">An environment variable's name is not a shell identifier.</exception>
    public static string For(RunLaunch launch)
    {
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append(CultureInfo.InvariantCulture, $"# Run {launch.RunId} of {Comment(launch.Tool)}/{Comment(launch.Job)}, submitted by toolgridd.\n");
        var interactive = launch.Interactive;
        if (launch.Interactive)
        {
            // An interactive run's script is a file of the tool's (SessionScript), passed to the
            // client by its path: read from here on through the shell's descriptor, it goes at once.
            // Named here, not as $0, which is whatever the shell was started as.
            script.Append(CultureInfo.InvariantCulture, $"/bin/rm -f -- {Quote(SessionScript.PathOf(launch.Home, launch.RunId))}\n");
        }

        if (interactive && launch.Terminal is null)
        {
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

        // Started before the traps below, so a SIGTERM of the job reaches it as it is.
        script.Append(HealthLoop.Start(launch, detached: false));
        var grace = (long)Math.Ceiling(Math.Max(0, launch.GracePeriod.TotalSeconds));
        script.Append(CultureInfo.InvariantCulture, $$"""
            stopping=
            killer=
            stop() {
                [ -z "$stopping" ] || return 0
                stopping=1
                kill -TERM 0 2>/dev/null
                (sleep {{grace}}; kill -KILL 0) &
                killer=$!
            }
            trap '' TERM{{(interactive ? " INT QUIT" : string.Empty)}}
            trap 'interrupted=1; stop' USR2
            {{(interactive ? "exec 3<&0\n" : string.Empty)}}(trap - TERM{{(interactive ? " INT QUIT" : string.Empty)}}; trap '' USR2; exec env --default-signal=INT,QUIT /bin/sh -c {{Quote(launch.Command)}}){{(interactive ? " <&3 3<&-" : string.Empty)}} &
            child=$!
            while :; do
                interrupted=
                wait "$child"
                status=$?
                # A trapped signal ends wait early (128+12); the command's own status is still to come.
                [ -n "$interrupted" ] && [ "$status" -gt 128 ] || break
            done
            {{HealthLoop.Stop(launch)}}[ -z "$killer" ] || kill -KILL "$killer" 2>/dev/null
            trap - TERM USR2{{(interactive ? " INT QUIT" : string.Empty)}}
            if [ "$status" -gt 128 ]; then
                kill -$((status - 128)) $$
            fi
            exit "$status"

            """);
        return script.ToString();
    }

    /// <summary>A single-quoted shell word: exactly <paramref name="value"/>.</summary>
    public static string Quote(string value) => ShellWord.Quote(value);

    private static string Comment(string name) => name.ReplaceLineEndings(" ");
}
