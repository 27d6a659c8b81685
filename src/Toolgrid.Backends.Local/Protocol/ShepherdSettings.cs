namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The parts of the backend's options that go into every spec.</summary>
/// <param name="UseCgroups">Whether runs get cgroups.</param>
/// <param name="CgroupParent">The cgroup each run's is made under.</param>
/// <param name="NotifySocketPath">The socket the shepherds notify.</param>
/// <param name="IsolateRuns">Whether each run gets its own /proc, /tmp, /var/tmp and /dev/shm.</param>
/// <param name="ListenAddress">What a run with a port is told in <c>$HOST</c> (<see cref="LocalBackendOptions.ListenAddress"/>).</param>
internal sealed record ShepherdSettings(bool UseCgroups, string CgroupParent, string NotifySocketPath, bool IsolateRuns = true, string ListenAddress = "127.0.0.1");
