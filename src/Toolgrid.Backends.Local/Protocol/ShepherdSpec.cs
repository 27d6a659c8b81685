using System.Globalization;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Users;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>
/// The run file's spec record: everything the shepherd needs to start a run, as <c>key\0value\0</c>
/// pairs (<c>env</c> repeats, one <c>NAME=VALUE</c> each; so does <c>group</c>). See <see cref="RunFileFormat"/>.
/// </summary>
/// <remarks>
/// NUL cannot occur in a command, a path, a user name or an environment variable, so this needs
/// no escaping and cannot be misread; there is no argv to split, the command goes to <c>/bin/sh -c</c>.
/// The user's shell and groups come from the user database, read by the backend
/// (<see cref="UserDatabase"/>): the shepherd reads none.
/// </remarks>
internal static class ShepherdSpec
{
    /// <summary>The variable that tells a run with a port where to listen.</summary>
    public const string ListenHost = "HOST";

    /// <summary>The first due time whose Unix nanoseconds do not fit in 64 bits (in 2262).</summary>
    private static readonly DateTimeOffset LatestNotBefore = DateTimeOffset.UnixEpoch.AddTicks(long.MaxValue / 100);

    /// <summary>Checks the launch; an error in words when it cannot be written as a spec.</summary>
    public static string? Validate(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var texts = new[] { launch.Command, launch.UnixUser, launch.Home, launch.StdoutPath ?? string.Empty, launch.StderrPath ?? string.Empty }
            .Concat(launch.Environment.Keys)
            .Concat(launch.Environment.Values);
        if (texts.Any(text => text.Contains('\0', StringComparison.Ordinal)))
        {
            return "the run's command, user, paths or environment contain a NUL character";
        }

        if (launch.UnixUser.Length == 0)
        {
            return "the run has no Unix user";
        }

        if (launch.Uid < 0 || launch.Gid < 0)
        {
            return $"the run's uid {launch.Uid} or gid {launch.Gid} is invalid";
        }

        if (!Path.IsPathFullyQualified(launch.Home))
        {
            return $"the run's home {launch.Home} is not an absolute path";
        }

        foreach (var path in new[] { launch.StdoutPath, launch.StderrPath })
        {
            if (!string.IsNullOrEmpty(path) && !Path.IsPathFullyQualified(path))
            {
                return $"the output path {path} is not an absolute path";
            }
        }

        foreach (var name in launch.Environment.Keys)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal))
            {
                return $"the environment variable name \"{name}\" is invalid";
            }
        }

        if (launch.NotBefore is { } notBefore)
        {
            if (launch.Interactive)
            {
                return "an interactive run cannot be held until a due time (it waits for its attach)";
            }

            if (notBefore <= DateTimeOffset.UnixEpoch)
            {
                return $"the run's due time {notBefore:O} is not after 1970-01-01";
            }

            if (notBefore >= LatestNotBefore)
            {
                return $"the run's due time {notBefore:O} is too far ahead (nanoseconds since 1970 must fit in 64 bits)";
            }
        }

        return RunHealthSpec.Validate(launch) ?? Terminals.TerminalSpec.Validate(launch);
    }

    /// <summary>The spec record of a launch that <see cref="Validate"/> accepted, for the user's <paramref name="account"/>.</summary>
    public static byte[] Build(RunLaunch launch, UnixAccount account, ShepherdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var spec = new RecordBuilder("spec");
        Add("run_id", launch.RunId.ToString(CultureInfo.InvariantCulture));
        Add("command", launch.Command);
        Add("uid", launch.Uid.ToString(CultureInfo.InvariantCulture));
        Add("gid", launch.Gid.ToString(CultureInfo.InvariantCulture));
        Add("user", launch.UnixUser);
        Add("home", launch.Home);
        Add("shell", account.Shell);
        foreach (var group in account.Groups)
        {
            Add("group", group.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (name, value) in EnvironmentOf(launch, settings).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Add("env", $"{name}={value}");
        }

        Add("memory_bytes", Math.Max(0, launch.MemoryBytes).ToString(CultureInfo.InvariantCulture));
        Add("cpu_millis", Math.Max(0, launch.CpuMillis).ToString(CultureInfo.InvariantCulture));
        Add("max_processes", Math.Max(0, launch.MaxProcesses).ToString(CultureInfo.InvariantCulture));
        Add("stdout", launch.Interactive ? string.Empty : launch.StdoutPath ?? string.Empty);
        Add("stderr", launch.Interactive ? string.Empty : launch.StderrPath ?? string.Empty);
        Add("timeout_ms", Milliseconds(launch.Timeout ?? TimeSpan.Zero));
        Add("grace_ms", Milliseconds(launch.GracePeriod));
        foreach (var (key, value) in RunHealthSpec.Pairs(launch))
        {
            Add(key, value);
        }

        foreach (var (key, value) in Terminals.TerminalSpec.Pairs(launch))
        {
            Add(key, value);
        }

        if (launch.NotBefore is { } notBefore)
        {
            // Unix epoch nanoseconds, CLOCK_REALTIME: the shepherd holds the command until then.
            Add("not_before_ns", ((notBefore - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture));
        }

        Add("cgroups", settings.UseCgroups ? "auto" : "off");
        Add("isolation", settings.IsolateRuns ? "auto" : "off");
        Add("cgroup_parent", settings.CgroupParent);
        Add("notify_socket", settings.NotifySocketPath);
        return spec.ToBytes();

        void Add(string key, string value) => spec.Add(key, value);

        static string Milliseconds(TimeSpan time) =>
            ((long)Math.Max(0, Math.Ceiling(time.TotalMilliseconds))).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The launch's environment, and for a run with a port <c>HOST</c>: the address it is to listen
    /// on (this node's, not the job's to choose; a job without a port keeps a <c>HOST</c> of its own).
    /// </summary>
    private static Dictionary<string, string> EnvironmentOf(RunLaunch launch, ShepherdSettings settings)
    {
        var environment = new Dictionary<string, string>(launch.Environment, StringComparer.Ordinal);
        if (launch.Port is not null)
        {
            environment[ListenHost] = settings.ListenAddress;
        }

        return environment;
    }
}
