using System.Globalization;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// The spec keys of a run's working directory, umask, port and health check (<see cref="ShepherdSpec"/>).
/// Each is written only when it differs from the default, so an older spec reads as "the home,
/// umask 0002, no port, no health check".
/// </summary>
/// <remarks>
/// The shepherd applies <c>cwd</c> and <c>umask</c>; it ignores the rest, which the backend reads
/// back (<see cref="Read"/>) to probe the run, also after toolgridd was restarted.
/// </remarks>
internal static class RunHealthSpec
{
    /// <summary>Checks the launch's working directory, umask, port and health check; an error in words, or null.</summary>
    public static string? Validate(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.WorkingDirectory is { } directory)
        {
            if (directory.Contains('\0', StringComparison.Ordinal) || !Path.IsPathFullyQualified(directory))
            {
                return $"the working directory {directory} is not an absolute path";
            }

            var home = Path.TrimEndingDirectorySeparator(Path.GetFullPath(launch.Home));
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
            if (full != home && !full.StartsWith(home + "/", StringComparison.Ordinal))
            {
                return $"the working directory {directory} is not inside the home {launch.Home}";
            }
        }

        if (!FileMask.IsValid(launch.Umask))
        {
            return $"the umask {launch.Umask} is invalid (it is 0 to 0777)";
        }

        if (launch.Port is { } port and (< 1 or > 65535))
        {
            return $"the port {port} is invalid";
        }

        if (launch.HealthCheck is not { } check)
        {
            return null;
        }

        if (check.Script is null && check.HttpPath is null)
        {
            return "the health check has neither a script nor an HTTP path";
        }

        if (check.Script is { } script && (script.Length == 0 || script.Contains('\0', StringComparison.Ordinal)))
        {
            return "the health check's script is empty or contains a NUL character";
        }

        if (check.HttpPath is { } path)
        {
            if (launch.Port is null)
            {
                return $"the health check's HTTP path {path} needs the run to have a port";
            }

            if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal) ||
                !Uri.TryCreate("http://127.0.0.1:1" + path, UriKind.Absolute, out _))
            {
                return $"the health check's HTTP path {path} is not a path such as /healthz";
            }
        }

        if (check.Interval <= TimeSpan.Zero || check.Timeout <= TimeSpan.Zero || check.StartupTimeout <= TimeSpan.Zero)
        {
            return "the health check's interval, timeout and startup timeout must be positive";
        }

        return check.FailureThreshold < 1 ? $"the health check's failure threshold {check.FailureThreshold} is invalid (at least 1)" : null;
    }

    /// <summary>The spec pairs of a launch that <see cref="Validate"/> accepted.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.WorkingDirectory is { } directory)
        {
            yield return new("cwd", directory);
        }

        if (launch.Umask != JobDefaults.Umask)
        {
            yield return new("umask", Convert.ToString(launch.Umask, 8).PadLeft(4, '0'));
        }

        if (launch.Port is { } port)
        {
            yield return new("port", Number(port));
        }

        if (launch.HealthCheck is not { } check)
        {
            yield break;
        }

        if (check.Script is { } script)
        {
            yield return new("health_script", script);
        }

        if (check.HttpPath is { } path)
        {
            yield return new("health_http_path", path);
        }

        yield return new("health_interval_ms", Milliseconds(check.Interval));
        yield return new("health_timeout_ms", Milliseconds(check.Timeout));
        yield return new("health_startup_timeout_ms", Milliseconds(check.StartupTimeout));
        yield return new("health_failure_threshold", Number(check.FailureThreshold));
    }

    /// <summary>What to probe, from a spec record's pairs; null when the run has no health check (or the spec is not readable as one).</summary>
    public static ProbeTarget? Read(long runId, ILookup<string, string> spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var script = spec.String("health_script");
        var path = spec.String("health_http_path");
        if (script is null && path is null)
        {
            return null;
        }

        if (spec.Long("health_interval_ms") is not { } interval || spec.Long("health_timeout_ms") is not { } timeout ||
            spec.Long("health_startup_timeout_ms") is not { } startup || spec.Int("health_failure_threshold") is not { } threshold ||
            spec.Int("uid") is not { } uid || spec.Int("gid") is not { } gid || spec.String("home") is not { } home ||
            (path is not null && spec.Int("port") is null))
        {
            return null;
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["USER"] = spec.String("user") ?? string.Empty,
            ["LOGNAME"] = spec.String("user") ?? string.Empty,
            ["SHELL"] = spec.String("shell") ?? "/bin/sh",
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
        };
        foreach (var entry in spec["env"])
        {
            var parts = entry.Split('=', 2);
            if (parts.Length == 2 && parts[0].Length > 0)
            {
                environment[parts[0]] = parts[1];
            }
        }

        var check = new HealthCheck(
            script,
            path,
            TimeSpan.FromMilliseconds(interval),
            TimeSpan.FromMilliseconds(timeout),
            TimeSpan.FromMilliseconds(startup),
            Math.Max(1, threshold));
        var groups = spec["group"].Select(g => int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1).Where(g => g >= 0).ToList();
        return new ProbeTarget(runId, check, spec.Int("port"), uid, gid, groups, spec.String("cwd") ?? home, environment);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Milliseconds(TimeSpan time) => Number((long)Math.Max(1, Math.Ceiling(time.TotalMilliseconds)));
}
