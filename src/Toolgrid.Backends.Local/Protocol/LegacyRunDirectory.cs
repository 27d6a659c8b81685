using System.Globalization;
using System.Text;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>A run directory of protocol 1, <c>&lt;RunDirectory&gt;/&lt;runId&gt;/</c>, as toolgridd wrote them before the run file.</summary>
/// <remarks>
/// <para>
/// Read, stopped and forgotten, so that runs started before an upgrade are re-adopted and end as
/// they would have: their shepherds (still the earlier program) go on writing this layout.
/// </para>
/// <list type="bullet">
/// <item><c>spec</c>: written by the backend (before the directory got its name), read by the shepherd.</item>
/// <item><c>lock</c>: flock'd by the shepherd for its whole life.</item>
/// <item><c>started</c>: the shepherd, durably, before the command was exec'd.</item>
/// <item><c>stop</c>: the backend, before it sends SIGTERM to the shepherd: the grace period in milliseconds.</item>
/// <item><c>exit</c>: the shepherd, durably, when the run has ended (or the backend, for a run that never started).</item>
/// <item><c>shepherd.log</c>: the shepherd's diagnostics, when it has any.</item>
/// </list>
/// Every file is written whole (a temporary file renamed into place), so a reader sees all of it or nothing.
/// The current shepherd never starts a run of this layout: one whose start had not happened when
/// toolgridd was upgraded is ended as a start that failed (see <c>LocalBackend.StartAsync</c>).
/// </remarks>
internal sealed class LegacyRunDirectory(string runDirectory, long runId) : RunEntry(runDirectory, runId)
{
    public string LockPath => File("lock");

    public override RunState Read() => new(
        ReadText("started") is { } started ? StartedRecord.Parse(started) : null,
        ReadText("exit") is { } exit ? ExitRecord.Parse(exit) : null);

    public override bool IsLockHeld() => RunLock.IsHeld(LockPath);

    public override RunLock? TryLock() => RunLock.TryTake(LockPath);

    public override void WriteStop(TimeSpan gracePeriod) =>
        WriteWhole("stop", ((long)Math.Max(0, gracePeriod.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "\n", durable: false);

    public override void WriteNeverStarted(RunLock runLock, ExitRecord exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        WriteWhole("exit", exit.Format(RunId), durable: true);
    }

    public override void Remove()
    {
        // Renamed first, so that a scan never sees half a directory (an "exit" gone, "started" left).
        var doomed = System.IO.Path.Combine(RunDirectory, $".forget-{RunId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(Path, doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        Directory.Delete(doomed, recursive: true);
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private string? ReadText(string name)
    {
        try
        {
            return System.IO.File.ReadAllText(File(name), Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private void WriteWhole(string name, string text, bool durable)
    {
        var temporary = File($".{name}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: durable);
        }

        System.IO.File.Move(temporary, File(name), overwrite: true);
    }
}
