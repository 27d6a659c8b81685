using System.Text.RegularExpressions;

namespace Toolgrid.Bench.Server;

/// <summary>
/// Where the platform's CPU time went, from perf's samples: each sample is put in one part of
/// the platform by the process it was taken in and the methods on its stack (the first rule that
/// matches wins; an async continuation's stack starts at the method it resumes, which names its owner).
/// </summary>
/// <param name="Samples">Samples taken.</param>
/// <param name="Parts">Each part's share of the samples, largest first.</param>
/// <param name="KernelShare">Samples taken in the kernel.</param>
/// <param name="InodeAllocationShare">Samples in ext4's inode allocation (<c>__ext4_new_inode</c>), all processes.</param>
internal sealed partial record CpuProfile(int Samples, IReadOnlyList<(string Part, double Share)> Parts, double KernelShare, double InodeAllocationShare)
{
    private static readonly (string Part, Regex Frame)[] FrameRules =
    [
        ("JIT compilation on worker threads", new Regex(@"libclrjit", RegexOptions.None, TimeSpan.FromSeconds(1))),
        ("API: POST /jobs (JobEndpoints.CreateAsync)", Frame(@"JobEndpoints[+:]+<?CreateAsync")),
        ("API: the benchmark's own polls (status, job GETs)", Frame(@"StatusEndpoints|JobEndpoints[+:]+<?(GetAsync|ListAsync)")),
        ("API: authentication", Frame(@"CallerAuthenticationHandler|CallerResolver|PeerCredentials")),
        ("controller: recording the backend's reports (RunRecorder)", Frame(@"RunRecorder|BackendWatch")),
        ("controller: snapshot and decide", Frame(@"SnapshotReader|Supervisor::Decide|Supervisor\+")),
        ("controller: placing (the UPDATE)", Frame(@"SupervisorSteps[+:]+<?PlaceAsync|RunUpdates")),
        ("backend: run file (user lookup, spec + fdatasync, rename)", Frame(@"RunFile::Create|UserDatabase|ShepherdSpec")),
        ("backend: launching the shepherd (posix_spawn, pipe, waitpid)", Frame(@"ShepherdLauncher|Native\.Spawn")),
        ("controller: StartAsync's reads, LaunchFactory", Frame(@"SupervisorSteps[+:]+<?StartAsync|LaunchFactory")),
        ("backend: forgetting ended runs (unlink)", Frame(@"LocalBackend::ForgetAsync|RunForgetter")),
        ("backend: watching (notifications, rescans, InspectAsync)", Frame(@"RunWatcher|RunInspector|NotifyListener|RunLock|ReportFeed")),
        ("controller: supervisor loop, other", Frame(@"SupervisorLoop")),
        ("API: Kestrel, routing, middleware", Frame(@"Kestrel|HttpProtocol|AspNetCore")),
        ("EF Core / SQLite, caller not on the stack", Frame(@"EntityFrameworkCore|Sqlite|e_sqlite3|sqlite3")),

        // perf walks frame pointers; native code built without them (SQLite, parts of libc) loses its callers.
        ("thread pool spinning (sched_yield)", Frame(@"sched_yield")),
        ("ext4 inode allocation, caller not on the stack", Frame(@"__ext4_new_inode")),
        ("other system calls, caller not on the stack", Frame(@"do_syscall_64")),
    ];

    public static CpuProfile Parse(string script)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int samples = 0, kernel = 0, inodes = 0;
        foreach (var block in script.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0 || char.IsWhiteSpace(lines[0][0]))
            {
                continue;
            }

            // "comm" is the first 16 characters of the header line (it may contain spaces: ".NET TP Worker").
            var comm = lines[0].Length > 16 ? lines[0][..16].Trim() : lines[0].Trim();
            var frames = lines.Skip(1).Select(l => l.Trim()).ToList();
            samples++;
            kernel += frames.Count > 0 && KernelAddress().IsMatch(frames[0]) ? 1 : 0;
            inodes += frames.Any(f => f.Contains("__ext4_new_inode", StringComparison.Ordinal)) ? 1 : 0;
            var part = Classify(comm, frames);
            counts[part] = counts.GetValueOrDefault(part) + 1;
        }

        return new CpuProfile(
            samples,
            counts.OrderByDescending(c => c.Value).Select(c => (c.Key, (double)c.Value / Math.Max(1, samples))).ToList(),
            (double)kernel / Math.Max(1, samples),
            (double)inodes / Math.Max(1, samples));
    }

    private static string Classify(string comm, List<string> frames)
    {
        if (comm.StartsWith("tg-shepherd", StringComparison.Ordinal))
        {
            return "shepherds and launchers (tg-shepherd processes)";
        }

        if (comm is "sh" or "true")
        {
            return "the runs' commands (sh -c true)";
        }

        if (comm.Contains("Tiered Com", StringComparison.Ordinal))
        {
            return "JIT compilation (tiered compilation thread)";
        }

        if (comm.Contains("GC", StringComparison.Ordinal))
        {
            return "garbage collector threads";
        }

        if (comm.StartsWith("Console logger", StringComparison.Ordinal))
        {
            return "console logger thread";
        }

        foreach (var (part, frame) in FrameRules)
        {
            if (frames.Any(f => frame.IsMatch(f)))
            {
                return part;
            }
        }

        return "other toolgridd threads and thread-pool work";
    }

    private static Regex Frame(string pattern) => new(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"^ffffffff[0-9a-f]{8} ")]
    private static partial Regex KernelAddress();
}
