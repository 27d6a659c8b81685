using System.Globalization;

namespace Toolgrid.Backends.Local.Native;

/// <summary>Reads <c>/proc</c>: the processes, and what each one's descriptors (<c>/proc/PID/fd/N</c>) are open on.</summary>
internal static class ProcDescriptors
{
    /// <summary>The processes of this host (those whose <c>/proc</c> entry can be read).</summary>
    public static IEnumerable<int> Processes()
    {
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>
    /// Each open descriptor of <paramref name="pid"/> (its <c>/proc/PID/fd/N</c> path, which opens the
    /// very file, name or no name) with its link's target: a path, with " (deleted)" once the file lost
    /// its name, or e.g. "socket:[4711]". None when the process is gone or not ours to see.
    /// </summary>
    public static IEnumerable<(string Descriptor, string Target)> Of(int pid)
    {
        string[] descriptors;
        try
        {
            descriptors = Directory.GetFileSystemEntries($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var descriptor in descriptors)
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (target is not null)
            {
                yield return (descriptor, target);
            }
        }
    }
}
