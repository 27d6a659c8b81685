namespace Toolgrid.Backends.Local.Protocol;

/// <summary>The parts of the backend's options that go into every spec.</summary>
internal sealed record ShepherdSettings(bool UseCgroups, string CgroupParent, string NotifySocketPath, bool IsolateRuns = true);
