using Toolgrid.Core.Errors;

namespace Toolgrid.Server.Hosting;

/// <summary>
/// Makes sure one toolgridd at a time works on a state directory. The lock is the kernel's
/// (an exclusive lock on an open file), so it is released however the process ends, SIGKILL
/// included, and a restart never finds a stale lock.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    private readonly FileStream _file;

    private InstanceLock(FileStream file) => _file = file;

    public static InstanceLock Acquire(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "toolgridd.lock");
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            file.Flush();
            return new InstanceLock(file);
        }
        catch (IOException e)
        {
            var holder = File.Exists(path) ? ReadHolder(path) : "?";
            throw new ToolgridException(
                ErrorKind.Conflict,
                "already-running",
                $"another toolgridd (pid {holder}) is running with the state directory {stateDirectory}; stop it first, or give this one another --state-dir.",
                e);
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The pid written by the holder of the lock of <paramref name="stateDirectory"/>, or "?".</summary>
    public static string Holder(string stateDirectory) => ReadHolder(Path.Combine(stateDirectory, "toolgridd.lock"));

    private static string ReadHolder(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
