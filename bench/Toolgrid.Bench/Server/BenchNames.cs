using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Bench.Server;

/// <summary>
/// The names one benchmark run gives what it makes, each carrying the run's id, so that two runs
/// on one host never meet and a run's leftovers are found by its id alone.
/// </summary>
/// <remarks>
/// The id is 8 hex digits. The Unix user prefix <c>tgb&lt;id&gt;.</c> is 12 characters, within
/// toolgridd's 16 (so that a prefix and a tool name fit Unix's 32). Each live run also holds a
/// slot: its own 100 uids of 63000–63899 (63900–63999 are bench/proxy/run.sh's), so that two
/// toolgridds never pick the same free uid at once.
/// </remarks>
internal sealed partial record BenchNames
{
    /// <summary>Where the runs' directories are: not in /tmp or /var/tmp, which every run gets a private one of (tools' homes are in there).</summary>
    public const string TempRoot = "/var/lib";

    /// <summary>A run's directory is <c>/var/lib/tgbench-&lt;id&gt;</c>.</summary>
    public const string RunPrefix = "tgbench-";

    /// <summary>Held while a run claims its names, or while leftovers are removed: never by two runs at once.</summary>
    public const string HostLock = "/var/lib/tgbench.lock";

    public const int Slots = 9;

    private const int UidBase = 63000;
    private const int UidsPerSlot = 100;

    private BenchNames(string id, int slot)
    {
        Id = id;
        Slot = slot;
    }

    /// <summary>The run's id: 8 lower-case hex digits.</summary>
    public string Id { get; }

    /// <summary>Which 100 uids the run's tools get (0 to <see cref="Slots"/> - 1).</summary>
    public int Slot { get; private init; }

    public string UnixUserPrefix => $"tgb{Id}.";

    /// <summary>A person (not a tool) whose Unix user the scale suite makes, to call the API as a maintainer; its group has the same name.</summary>
    public string PersonName => $"tgbm{Id}";

    /// <summary>The person's uid (and gid): below every tool range, one per slot.</summary>
    public int PersonUid => 62900 + Slot;

    public int UidMin => UidBase + (Slot * UidsPerSlot);

    public int UidMax => UidMin + UidsPerSlot - 1;

    public string CgroupParent => $"toolgrid-bench-{Id}";

    /// <summary>The cgroup parent of the shepherds the bench launches itself: beside toolgridd's, whose run-* cgroups toolgridd tidies as its own.</summary>
    public string ProbeCgroupParent => $"toolgrid-bench-{Id}-probe";

    /// <summary>The run's directory: data root, state, API socket, its lock and slot files.</summary>
    public string Root => Path.Combine(TempRoot, RunPrefix + Id);

    /// <summary>Held (flock) by the live run: a run whose lock can be taken is dead.</summary>
    public string LockFile => Path.Combine(Root, "run.lock");

    public string SlotFile => Path.Combine(Root, "slot");

    /// <summary>The run's own sudoers drop-in ('become' rules of its tools), never the site's (no '.' in it: sudo skips such names).</summary>
    public string SudoersFile => $"/etc/sudoers.d/tgbench-{Id}";

    public string Tool { get; } = "bench";

    /// <summary>The names of a new run, in slot <paramref name="slot"/>.</summary>
    public static BenchNames New(int slot) => new(Guid.NewGuid().ToString("N")[..8], slot);

    /// <summary>The names of run <paramref name="id"/>, with the slot its directory records (-1 if none).</summary>
    public static BenchNames Of(string id)
    {
        var names = new BenchNames(id, -1);
        var slot = File.Exists(names.SlotFile)
            && int.TryParse(File.ReadAllText(names.SlotFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s
            : -1;
        return names with { Slot = slot };
    }

    /// <summary>
    /// The ids of every run that left something on the host, live or dead: run directories, Unix
    /// users, cgroup parents and sudoers drop-ins, each found by its name.
    /// </summary>
    public static SortedSet<string> Found(IEnumerable<string> userNames, IEnumerable<string> cgroupNames, IEnumerable<string> directoryNames, IEnumerable<string> sudoersNames)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (names, pattern) in new[] { (userNames, UserName()), (userNames, PersonUserName()), (cgroupNames, CgroupName()), (directoryNames, DirectoryName()), (sudoersNames, DirectoryName()) })
        {
            foreach (var name in names)
            {
                if (pattern.Match(name) is { Success: true } match)
                {
                    ids.Add(match.Groups[1].Value);
                }
            }
        }

        return ids;
    }

    [GeneratedRegex("^tgb([0-9a-f]{8})\\.", RegexOptions.CultureInvariant)]
    private static partial Regex UserName();

    [GeneratedRegex("^tgbm([0-9a-f]{8})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PersonUserName();

    [GeneratedRegex("^toolgrid-bench-([0-9a-f]{8})(-probe)?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex CgroupName();

    [GeneratedRegex("^tgbench-([0-9a-f]{8})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DirectoryName();
}
