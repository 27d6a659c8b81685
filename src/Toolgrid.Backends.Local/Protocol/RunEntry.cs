using System.Globalization;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// One run on disk: a run file (<see cref="RunFile"/>, protocol 2) or, for runs started by an
/// earlier toolgridd, a run directory (<see cref="LegacyRunDirectory"/>, protocol 1).
/// </summary>
internal abstract class RunEntry(string runDirectory, long runId)
{
    public long RunId { get; } = runId;

    /// <summary>The directory that holds every run.</summary>
    public string RunDirectory { get; } = runDirectory;

    /// <summary><c>&lt;RunDirectory&gt;/&lt;runId&gt;</c>: the run file, or the run directory.</summary>
    public string Path { get; } = System.IO.Path.Combine(runDirectory, runId.ToString(CultureInfo.InvariantCulture));

    /// <summary>What the run's files say now (nothing, when they are gone).</summary>
    public abstract RunState Read();

    /// <summary>Whether a shepherd holds the run's lock now.</summary>
    public abstract bool IsLockHeld();

    /// <summary>Takes the run's lock in place of a shepherd; null when one holds it.</summary>
    public abstract RunLock? TryLock();

    /// <summary>Asks for a stop with this grace period; the shepherd reads it when it gets SIGTERM.</summary>
    public abstract void WriteStop(TimeSpan gracePeriod);

    /// <summary>Records the end of a run that never started, durably. The caller holds the lock and has seen neither a started nor an exit record under it.</summary>
    public abstract void WriteNeverStarted(RunLock runLock, ExitRecord exit);

    /// <summary>Removes the run's files; a reader sees all of them or none.</summary>
    public abstract void Remove();

    /// <summary>Whether <paramref name="name"/> is a run's name: a run id in its canonical form.</summary>
    public static bool TryParseRunId(string name, out long runId) =>
        long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out runId) && runId > 0 &&
        name == runId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The run's entry in <paramref name="runDirectory"/>, by what is there; null when there is none.</summary>
    public static RunEntry? Find(string runDirectory, long runId)
    {
        var file = new RunFile(runDirectory, runId);
        if (File.Exists(file.Path))
        {
            return file;
        }

        return Directory.Exists(file.Path) ? new LegacyRunDirectory(runDirectory, runId) : null;
    }
}
