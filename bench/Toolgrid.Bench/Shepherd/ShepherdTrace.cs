using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Bench.Shepherd;

/// <summary>An strace of one shepherd launch (<c>-f -tt -T</c>), boiled down to the system calls that took long.</summary>
/// <param name="TotalMs">First to last traced event.</param>
/// <param name="Slow">System calls of 0.5 ms or more: offset from the start (ms), duration (ms), pid role and the call, shortened.</param>
/// <param name="FsyncMs">Time inside fsync/fdatasync, all processes.</param>
/// <param name="CgroupProcsMs">Time inside writes to cgroup.procs (joining the run's cgroups).</param>
internal sealed partial record ShepherdTrace(double TotalMs, IReadOnlyList<(double AtMs, double Ms, string Call)> Slow, double FsyncMs, double CgroupProcsMs)
{
    public static ShepherdTrace Parse(IReadOnlyList<string> lines)
    {
        var slow = new List<(double, double, string)>();
        double? first = null;
        double last = 0, fsync = 0, procs = 0;
        var pending = new Dictionary<string, (string Call, double At)>(StringComparer.Ordinal);
        var procsFds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var match = Line().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var at = TimeSpan.ParseExact(match.Groups["at"].Value, @"hh\:mm\:ss\.ffffff", CultureInfo.InvariantCulture).TotalMilliseconds;
            first ??= at;
            last = Math.Max(last, at);
            var pid = match.Groups["pid"].Value;
            var call = match.Groups["call"].Value;

            // A call interrupted by another process's line: "<unfinished ...>", later "<... name resumed>".
            if (call.EndsWith("<unfinished ...>", StringComparison.Ordinal))
            {
                pending[pid] = (call, at);
                continue;
            }

            if (call.StartsWith("<...", StringComparison.Ordinal) && pending.Remove(pid, out var begun))
            {
                call = begun.Call.Replace("<unfinished ...>", "", StringComparison.Ordinal) + "… " + call;
                at = begun.At;
            }

            var duration = Duration().Match(call);
            if (!duration.Success)
            {
                continue;
            }

            var ms = double.Parse(duration.Groups["s"].Value, CultureInfo.InvariantCulture) * 1000;
            if (call.StartsWith("fsync", StringComparison.Ordinal) || call.StartsWith("fdatasync", StringComparison.Ordinal))
            {
                fsync += ms;
            }

            // write_text() opens cgroup.procs, then writes the pid to that descriptor.
            if (OpenedProcs().Match(call) is { Success: true } opened)
            {
                procsFds.Add(pid + ":" + opened.Groups["fd"].Value);
            }
            else if (Write().Match(call) is { Success: true } written && procsFds.Remove(pid + ":" + written.Groups["fd"].Value))
            {
                procs += ms;
                call = "write(cgroup.procs" + call[(call.IndexOf(',', StringComparison.Ordinal))..];
            }

            if (ms >= 0.5)
            {
                var text = call.Length > 110 ? call[..110] + "…" : call;
                slow.Add((at - first.Value, ms, $"[{pid}] {text}"));
            }
        }

        return new ShepherdTrace(first is null ? 0 : last - first.Value, slow, fsync, procs);
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<at>\d\d:\d\d:\d\d\.\d{6}) (?<call>.*)$")]
    private static partial Regex Line();

    [GeneratedRegex(@"^open(at)?\(.*""[^""]*/cgroup\.procs"".*\) = (?<fd>\d+)")]
    private static partial Regex OpenedProcs();

    [GeneratedRegex(@"^write\((?<fd>\d+),")]
    private static partial Regex Write();

    [GeneratedRegex(@"<(?<s>\d+\.\d+)>$")]
    private static partial Regex Duration();
}
