using Toolgrid.Backends.Local;
using Toolgrid.Backends.Local.Cgroups;
using Toolgrid.Core.Accounts;

namespace Toolgrid.Server.Api;

/// <summary>
/// What keeps tools apart on this host and what they share, in words, from what is true of this
/// process (the accounts' mode and home mode, the local backend's isolation and cgroups): the
/// mode's detail in <c>toolgrid status</c> and in toolgridd's first log line.
/// </summary>
public static class IsolationText
{
    /// <param name="mode">Whether tools have Unix users of their own.</param>
    /// <param name="user">Who toolgridd runs as (single-user mode runs every tool as it).</param>
    /// <param name="homeMode">The mode of tools' homes.</param>
    /// <param name="backend">The local backend of this process, or null when it has no node role (nothing is said of runs then).</param>
    public static string Describe(AccountMode mode, string user, UnixFileMode homeMode, LocalBackend? backend)
    {
        if (mode != AccountMode.MultiUser)
        {
            return $"every tool runs as {user}: tools are NOT isolated from each other (start toolgridd as root for isolation)";
        }

        var octal = Convert.ToString((int)homeMode, 8);
        const UnixFileMode others = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var apart = new List<string>();
        var shared = new List<string>();
        if ((homeMode & others) == 0)
        {
            apart.Add($"its home (mode {octal}: no access for other tools or users)");
        }
        else
        {
            shared.Add($"its home (mode {octal}: open to every user of the host)");
        }

        if (backend is not null)
        {
            if (backend.RunsIsolated)
            {
                apart.Add("each run's own /proc (only its tool's processes), /tmp, /var/tmp and /dev/shm");
            }
            else
            {
                shared.Add("/proc (every process of the host), /tmp and /var/tmp");
            }

            if (backend.CgroupVersion != CgroupVersion.None)
            {
                apart.Add("each run's cgroup limits (memory, CPU, processes)");
            }
        }

        shared.Add("the network (a run can listen on any free port of the host and reach the others)");
        shared.Add("the kernel");
        shared.Add("the host's files outside the homes");
        return $"each tool runs as its own Unix user and group. Kept apart: {string.Join("; ", apart)}. Shared by all tools: {string.Join("; ", shared)}";
    }
}
