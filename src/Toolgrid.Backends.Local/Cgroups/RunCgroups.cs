using Toolgrid.Backends.Local.Native;
using Toolgrid.Backends.Local.Protocol;

namespace Toolgrid.Backends.Local.Cgroups;

/// <summary>The runs' cgroups under the backend's parent: <c>&lt;hierarchy&gt;/&lt;CgroupParent&gt;/run-&lt;runId&gt;</c>, named as the shepherd names them.</summary>
internal static class RunCgroups
{
    private const string Prefix = "run-";

    /// <summary>The cgroup directories of each run that has any, by run id.</summary>
    public static IReadOnlyDictionary<long, List<string>> Find(CgroupVersion version, string parent)
    {
        var hierarchies = version switch
        {
            CgroupVersion.V2 => [CgroupDetector.Root],
            CgroupVersion.V1 => CgroupDetector.V1Hierarchies.Select(h => Path.Combine(CgroupDetector.Root, h)),
            _ => [],
        };
        var runs = new Dictionary<long, List<string>>();
        foreach (var directory in hierarchies.Select(h => Path.Combine(h, parent)).Where(Directory.Exists))
        {
            IEnumerable<string> children;
            try
            {
                children = Directory.GetDirectories(directory, Prefix + "*");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in children)
            {
                if (RunEntry.TryParseRunId(Path.GetFileName(child)[Prefix.Length..], out var runId))
                {
                    (runs.TryGetValue(runId, out var list) ? list : runs[runId] = []).Add(child);
                }
            }
        }

        return runs;
    }

    /// <summary>
    /// The processes that may be the shepherd of the processes in <paramref name="pids"/>: their
    /// parents outside that set (the shepherd is the parent of the run's command, and the reaper of
    /// its orphans).
    /// </summary>
    public static IReadOnlyList<int> Parents(IReadOnlyCollection<int> pids) =>
        [.. pids.Select(p => ProcStat.Parent(p) ?? 0).Where(p => p > 1 && !pids.Contains(p)).Distinct()];
}
