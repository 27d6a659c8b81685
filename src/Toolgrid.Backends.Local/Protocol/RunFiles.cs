using System.Globalization;
using System.Text;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The files of one run in the run directory: <c>&lt;RunDirectory&gt;/&lt;runId&gt;/</c>.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>spec</c>: written by the backend (before the directory gets its name), read by the shepherd.</item>
/// <item><c>lock</c>: flock'd by the shepherd for its whole life.</item>
/// <item><c>started</c>: the shepherd, durably, before the command is exec'd.</item>
/// <item><c>stop</c>: the backend, before it sends SIGTERM to the shepherd: the grace period in milliseconds.</item>
/// <item><c>exit</c>: the shepherd, durably, when the run has ended (or the backend, for a run that never started).</item>
/// <item><c>shepherd.log</c>: the shepherd's diagnostics, when it has any.</item>
/// </list>
/// Every file is written whole (a temporary file renamed into place), so a reader sees all of it or nothing.
/// </remarks>
internal sealed class RunFiles
{
    public RunFiles(string runDirectory, long runId)
    {
        RunId = runId;
        Path = System.IO.Path.Combine(runDirectory, runId.ToString(CultureInfo.InvariantCulture));
    }

    public long RunId { get; }

    public string Path { get; }

    public string LockPath => File("lock");

    public bool Exists => Directory.Exists(Path);

    public bool HasExit => System.IO.File.Exists(File("exit"));

    public bool HasStarted => System.IO.File.Exists(File("started"));

    public bool IsLockHeld => RunLock.IsHeld(LockPath);

    public static bool TryParseRunId(string name, out long runId) =>
        long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out runId) && runId > 0 &&
        name == runId.ToString(CultureInfo.InvariantCulture);

    public StartedRecord? ReadStarted() => ReadText("started") is { } text ? StartedRecord.Parse(text) : null;

    public ExitRecord? ReadExit() => ReadText("exit") is { } text ? ExitRecord.Parse(text) : null;

    /// <summary>Asks for a stop with this grace period; the shepherd reads it when it gets SIGTERM.</summary>
    public void WriteStop(TimeSpan gracePeriod) =>
        WriteWhole("stop", ((long)Math.Max(0, gracePeriod.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "\n", durable: false);

    /// <summary>Records the end of a run that never started. The caller holds the run's lock.</summary>
    public void WriteExit(ExitRecord exit) => WriteWhole("exit", exit.Format(RunId), durable: true);

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private string? ReadText(string name)
    {
        var path = File(name);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        try
        {
            return System.IO.File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
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
