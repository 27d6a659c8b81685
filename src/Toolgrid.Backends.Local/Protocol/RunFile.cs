using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Toolgrid.Backends.Local.Native;
using Toolgrid.Native;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>A run's file, <c>&lt;RunDirectory&gt;/&lt;runId&gt;</c> (protocol 2): the spec, then the started and exit records (<see cref="RunFileFormat"/>).</summary>
/// <remarks>
/// <list type="bullet">
/// <item>The backend creates it whole: written and fdatasync'd under a temporary name, then renamed into place (never replacing one).</item>
/// <item>Its flock is the run's lock: the shepherd holds it for its whole life.</item>
/// <item>The shepherd appends the started record (durably, with the file's name, before the exec) and, at the end, the exit record.</item>
/// <item>The backend appends an exit record only for a run that never started, under the lock.</item>
/// <item>Beside it, only when needed: <c>&lt;runId&gt;.stop</c> (the backend, before it sends SIGTERM: the grace
/// period in milliseconds) and <c>&lt;runId&gt;.log</c> (the shepherd's diagnostics).</item>
/// </list>
/// One inode per run, created once and removed once: on an ext4 without a journal every file
/// creation scans past the inodes deleted in the last minute, so the run's file churn is paid for
/// by every later creation (docs/benchmarks.md).
/// <para>
/// A run file deleted under a live run is read through the descriptor the backend keeps on it
/// (<paramref name="handle"/>, see <see cref="RunFileHandles"/>): the shepherd goes on appending to
/// the same inode, and its lock is still the run's lock.
/// </para>
/// </remarks>
internal sealed class RunFile(string runDirectory, long runId, RunFileHandle? handle = null) : RunEntry(runDirectory, runId)
{
    /// <summary>Whether the file has lost its name and is read through the backend's descriptor.</summary>
    public bool IsUnlinked => handle is not null;

    public string StopPath => Path + ".stop";

    public string LogPath => Path + ".log";

    /// <summary>Creates the run's file whole, from its records; false when it exists already (that one stands).</summary>
    public static bool Create(string runDirectory, long runId, params byte[][] records)
    {
        var contents = new byte[RunFileFormat.Header.Length + records.Sum(r => r.Length)];
        RunFileFormat.Header.CopyTo(contents, 0);
        var at = RunFileFormat.Header.Length;
        foreach (var record in records)
        {
            record.CopyTo(contents, at);
            at += record.Length;
        }

        return CreateWhole(runDirectory, runId, contents);
    }

    /// <summary>
    /// Gives a run file that lost its name (<see cref="IsUnlinked"/>) a new one with its complete
    /// records, once its shepherd has ended: from then on it is read as any other. False when a
    /// file of that name exists (that one stands).
    /// </summary>
    public bool Restore(RunFileContents contents, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return CreateWhole(RunDirectory, RunId, data[..contents.CompleteLength]);
    }

    private static bool CreateWhole(string runDirectory, long runId, byte[] contents)
    {
        var path = System.IO.Path.Combine(runDirectory, runId.ToString(CultureInfo.InvariantCulture));
        var temporary = System.IO.Path.Combine(runDirectory, $".new-{runId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        var fd = UnixFile.Open(temporary, LibC.OWriteOnly | LibC.OCreate | LibC.OExclusive | LibC.ONoFollow, 0b110_000_000);
        if (fd < 0)
        {
            throw UnixFile.Error("cannot create", temporary, Marshal.GetLastPInvokeError());
        }

        try
        {
            try
            {
                UnixFile.WriteAll(fd, contents, 0, temporary);

                // Durable before the file gets its name: after a crash, a run file always has its whole spec.
                UnixFile.DataSync(fd, temporary);
            }
            finally
            {
                LibC.Close(fd);
            }

            if (LibC.RenameAt2(LibC.AtFdCwd, temporary, LibC.AtFdCwd, path, LibC.RenameNoReplace) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (LibC.EEXIST or LibC.ENOTEMPTY))
            {
                throw UnixFile.Error("cannot create", path, errno);
            }

            // Created meanwhile by a concurrent start of the same run: that one stands.
            UnixFile.Remove(temporary);
            return false;
        }
        catch
        {
            UnixFile.Remove(temporary);
            throw;
        }
    }

    public override RunState Read()
    {
        var contents = ReadContents();
        return contents is null ? RunState.Nothing : new RunState(contents.Started, contents.Exit, contents.Waiting);
    }

    /// <summary>The file's complete records; null when it is gone (or not a run file).</summary>
    public RunFileContents? ReadContents() => ReadData() is { } data ? RunFileFormat.Parse(data) : null;

    /// <summary>The file's bytes; null when it is gone.</summary>
    public byte[]? ReadData() => handle is null ? UnixFile.ReadAll(Path) : handle.Use<byte[]?>(fd => UnixFile.ReadAll(fd, Path), null);

    public override bool IsLockHeld() => handle is null ? RunLock.IsHeld(Path) : handle.Use(RunLock.IsHeld, false);

    public override RunLock? TryLock() => RunLock.TryTake(Path);

    public override void WriteStop(TimeSpan gracePeriod)
    {
        var temporary = System.IO.Path.Combine(RunDirectory, $".{RunId.ToString(CultureInfo.InvariantCulture)}.stop.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, ((long)Math.Max(0, gracePeriod.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "\n", Encoding.ASCII);
        File.Move(temporary, StopPath, overwrite: true);
    }

    public override void WriteNeverStarted(RunLock runLock, ExitRecord exit)
    {
        ArgumentNullException.ThrowIfNull(runLock);
        ArgumentNullException.ThrowIfNull(exit);
        var data = UnixFile.ReadAll(runLock.Fd, Path);
        var contents = RunFileFormat.Parse(data) ?? throw new IOException($"{Path} is not a run file (version {RunFileFormat.Version})");
        if (contents.Started is not null || contents.Exit is not null)
        {
            return;
        }

        // A record cut short by a shepherd that died before its start: nothing ran; it goes, so
        // that the exit follows complete records only.
        if (contents.CompleteLength < data.Length && LibC.FTruncate(runLock.Fd, contents.CompleteLength) != 0)
        {
            throw UnixFile.Error("cannot cut the unfinished record off", Path, Marshal.GetLastPInvokeError());
        }

        UnixFile.WriteAll(runLock.Fd, exit.ToRecord(RunId), contents.CompleteLength, Path);
        UnixFile.DataSync(runLock.Fd, Path);

        // The file's name too: it may never have been made durable (no shepherd started).
        UnixFile.SyncDirectory(RunDirectory);
    }

    public override void Remove()
    {
        // The run file first: with it gone the run is gone, whatever is left beside it.
        UnixFile.Remove(Path);
        UnixFile.Remove(StopPath);
        UnixFile.Remove(Path + ".attach"); // an interactive run's socket, left by a shepherd that died (Terminals/)
        UnixFile.Remove(LogPath);
    }
}
