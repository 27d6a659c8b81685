using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Core.Health;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Health;

/// <summary>
/// Script health checks: <c>/bin/sh -c SCRIPT</c> as the tool (uid, gid and groups, through
/// util-linux's <c>setpriv</c> when toolgridd runs as root), in the run's working directory with
/// the run's environment; exit 0 passes. One that runs past its timeout is killed and fails.
/// </summary>
/// <remarks>
/// A check is part of its run: for an isolated run it enters the run's mount namespace first
/// (util-linux's <c>nsenter</c>, by the job's PID), so it sees what the run sees, the run's own
/// <c>/tmp</c> and its <c>/proc</c> with only its tool's processes, and never the host's. The PID
/// is used only while it is the shepherd's child (the shepherd's start time checked): a child is
/// not reaped, so its PID is not reused, until the shepherd has seen it end.
/// </remarks>
internal sealed class ScriptCheck(TimeProvider timeProvider)
{
    private const int MaxOutput = 4096;

    private static readonly string[] ProgramDirectories = ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"];

    private static readonly string? SetprivPath = Find("setpriv");

    private static readonly string? NsenterPath = Find("nsenter");

    public async Task<CheckResult> CheckAsync(ProbeTarget target, StartedRecord started, string script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = StartInfo(target, started, script, out var error);
        if (startInfo is null)
        {
            return CheckResult.Fail($"the health script cannot be run: {error}");
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return CheckResult.Fail($"the health script could not be started: {e.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            using var limit = new CancellationTokenSource(timeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            var output = ReadTailAsync(process.StandardOutput, linked.Token);
            var errors = ReadTailAsync(process.StandardError, linked.Token);
            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                await Task.WhenAll(output, errors);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                return CheckResult.Fail($"the health script did not finish within {CheckResult.Describe(timeout)}");
            }

            // What the script left running with its output open does not hold the check up.
            using var drain = new CancellationTokenSource(TimeSpan.FromMilliseconds(200), timeProvider);
            using var drained = CancellationTokenSource.CreateLinkedTokenSource(drain.Token, cancellationToken);
            await using (drained.Token.Register(() => Kill(process)))
            {
                await Task.WhenAll(output, errors);
            }

            if (process.ExitCode == 0)
            {
                return CheckResult.Pass;
            }

            var last = LastLine(await errors) ?? LastLine(await output);
            var code = process.ExitCode.ToString(CultureInfo.InvariantCulture);
            return CheckResult.Fail(last is null ? $"the health script exited {code}" : $"the health script exited {code}: {last}");
        }
    }

    private static string? Find(string program) =>
        ProgramDirectories.Select(directory => directory + program).FirstOrDefault(File.Exists);

    /// <summary>How the script is started; null (with the reason) when it cannot be.</summary>
    private static ProcessStartInfo? StartInfo(ProbeTarget target, StartedRecord started, string script, out string? error)
    {
        error = null;
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = target.WorkingDirectory,
        };
        var euid = LibC.GetEUid();
        if (target.Uid != euid && euid == 0)
        {
            if (SetprivPath is null)
            {
                error = "setpriv (util-linux) is not installed, and it is needed to run the script as the tool's user";
                return null;
            }

            if (started.Isolated && !EnterRun(startInfo, target, started, out error))
            {
                return null;
            }

            startInfo.ArgumentList.Add(SetprivPath);
            startInfo.ArgumentList.Add($"--reuid={target.Uid.ToString(CultureInfo.InvariantCulture)}");
            startInfo.ArgumentList.Add($"--regid={target.Gid.ToString(CultureInfo.InvariantCulture)}");
            startInfo.ArgumentList.Add(target.Groups.Count == 0
                ? "--clear-groups"
                : "--groups=" + string.Join(',', target.Groups.Select(g => g.ToString(CultureInfo.InvariantCulture))));
            startInfo.ArgumentList.Add("--no-new-privs");
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add("/bin/sh");
        }
        else
        {
            // Single-user mode (or a tool run as toolgridd's own user): no switch.
            startInfo.ArgumentList.Add("/bin/sh");
        }

        // The first argument is the program.
        startInfo.FileName = startInfo.ArgumentList[0];
        startInfo.ArgumentList.RemoveAt(0);

        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        startInfo.Environment.Clear();
        foreach (var (name, value) in target.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    /// <summary>Puts <c>nsenter</c> into the run's mount namespace, with the working directory, in front of the command.</summary>
    private static bool EnterRun(ProcessStartInfo startInfo, ProbeTarget target, StartedRecord started, out string? error)
    {
        error = null;
        if (NsenterPath is null)
        {
            error = "nsenter (util-linux) is not installed, and it is needed to run the script in the run's own /proc and /tmp";
            return false;
        }

        // The job is still the shepherd's child (so its PID is its own), and the shepherd the one recorded.
        if (ProcStat.Parent(started.Pid) != started.ShepherdPid || ProcStat.StartTime(started.ShepherdPid) != started.ShepherdStartTime)
        {
            error = "the run's process has ended";
            return false;
        }

        startInfo.ArgumentList.Add(NsenterPath);
        startInfo.ArgumentList.Add($"--target={started.Pid.ToString(CultureInfo.InvariantCulture)}");
        startInfo.ArgumentList.Add("--mount");
        startInfo.ArgumentList.Add($"--wd={target.WorkingDirectory}");
        startInfo.ArgumentList.Add("--");
        return true;
    }

    private static async Task<string> ReadTailAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var tail = new StringBuilder();
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                tail.Append(buffer, 0, read);
                if (tail.Length > MaxOutput)
                {
                    tail.Remove(0, tail.Length - MaxOutput);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Killed, or it kept the pipe open: what was read is what there is.
        }

        return tail.ToString();
    }

    private static string? LastLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return line is null ? null : line.Length <= 200 ? line : line[..200] + "…";
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
