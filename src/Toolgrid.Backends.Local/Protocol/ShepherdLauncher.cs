using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Toolgrid.Native;
using Toolgrid.Native.Processes;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>Starts <c>tg-shepherd RUNDIR</c> (an argument list, never a shell) and waits for the launcher to exit.</summary>
/// <remarks>
/// The launcher exits once the command runs or its start failed; the real shepherd is then a
/// grandchild in its own session, reparented to init, so nothing that happens to toolgridd
/// (not even SIGKILL) reaches it. Only the short-lived launcher is ever toolgridd's child.
/// It is started with posix_spawn (see <see cref="Spawn"/>); its standard error is read to the
/// end, which comes when it exits, and then it is reaped.
/// </remarks>
internal sealed class ShepherdLauncher(string shepherdPath, TimeSpan timeout, TimeProvider timeProvider)
{
    public string ShepherdPath { get; } = shepherdPath;

    public async Task<LaunchResult> LaunchAsync(string runPath, CancellationToken cancellationToken)
    {
        if (!Spawn.Pipe(out var readFd, out var writeFd))
        {
            return new LaunchResult(LaunchOutcome.NotLaunched, $"cannot create a pipe for the shepherd: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        using var stderr = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(readFd, ownsHandle: true));
        int pid;
        try
        {
            pid = Spawn.Start(ShepherdPath, [runPath], writeFd);
        }
        finally
        {
            LibC.Close(writeFd);
        }

        if (pid < 0)
        {
            return new LaunchResult(LaunchOutcome.NotLaunched, $"cannot run the shepherd {ShepherdPath}: {Marshal.GetPInvokeErrorMessage(-pid)}");
        }

        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        string error;
        // On timeout or cancellation the launcher is killed, which ends the read. Only the launcher:
        // the shepherd is not our child and goes on. The pid is safe to signal until it is reaped
        // below, after the registration is disposed (Dispose waits for a running callback).
        using (linked.Token.Register(() => LibC.Kill(pid, LibC.SigKill)))
        {
            using var reader = new StreamReader(stderr, Encoding.UTF8);
            error = (await reader.ReadToEndAsync(CancellationToken.None)).Trim();
        }

        var status = Spawn.Wait(pid, block: true);
        cancellationToken.ThrowIfCancellationRequested();
        if (deadline.IsCancellationRequested)
        {
            return new LaunchResult(LaunchOutcome.TimedOut, $"the shepherd did not report within {timeout.TotalSeconds:0.#} s");
        }

        if (status is { } exited && (exited & 0x7f) == 0)
        {
            var code = (exited >> 8) & 0xff;
            return new LaunchResult(Enum.IsDefined((LaunchOutcome)code) ? (LaunchOutcome)code : LaunchOutcome.Crashed, error);
        }

        return new LaunchResult(LaunchOutcome.Crashed, $"the shepherd's launcher died (wait status {status}){(error.Length > 0 ? ": " + error : string.Empty)}");
    }
}
