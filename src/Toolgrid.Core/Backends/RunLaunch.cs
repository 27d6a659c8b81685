using Toolgrid.Contracts.Api;

namespace Toolgrid.Core.Backends;

/// <summary>Everything a backend needs to start one run. Built by the controller; a backend never reads the store.</summary>
/// <param name="RunId">The run; a backend starts a given run id at most once.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Job">The job's name.</param>
/// <param name="Node">
/// The node chosen by placement; null when the backend's engine places the run itself
/// (<see cref="IBackend.PlacesRuns"/>).
/// </param>
/// <param name="Queue">The job's queue: where an engine that places runs submits it.</param>
/// <param name="Command">Run as <c>/bin/sh -c Command</c>.</param>
/// <param name="UnixUser">The Unix user the run runs as.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="Gid">Its primary gid.</param>
/// <param name="Home">The tool's home: the working directory and <c>$HOME</c>.</param>
/// <param name="Environment">Variables set for the run, on top of a clean login-like environment.</param>
/// <param name="MemoryBytes">The memory limit.</param>
/// <param name="CpuMillis">The CPU limit in millicores.</param>
/// <param name="MaxProcesses">The limit on processes and threads.</param>
/// <param name="StdoutPath">Where standard output is appended (absolute), or null to discard it.</param>
/// <param name="StderrPath">Where standard error is appended (absolute), or null to discard it.</param>
/// <param name="Timeout">How long the run may take before it is stopped, or null for no limit.</param>
/// <param name="GracePeriod">Time between SIGTERM and SIGKILL when the run is stopped.</param>
/// <param name="Port">The port the run serves on, given to it as <c>$PORT</c>; null when it has none.</param>
/// <param name="HealthCheck">How the run's health is checked; null when it is not.</param>
/// <param name="WorkingDirectory">The working directory (absolute, inside the home); null for the home.</param>
/// <param name="Umask">The run's file-mode creation mask.</param>
/// <param name="Interactive">An interactive run: its standard streams are kept for an attach (<see cref="IRunTerminals"/>), and its command starts once attached.</param>
/// <param name="Terminal">For an interactive run, the window size of a pseudo-terminal to give it; null for plain pipes.</param>
/// <param name="NotBefore">
/// For a run started ahead of its due time (a scheduled run): the backend sets the run up now
/// (its process, cgroup, user, files) and holds its command until this instant, then lets it go;
/// until then it reports the run as <see cref="BackendRunPhase.Waiting"/>, and a stop ends it
/// before its command ran. Null, or a time past: the command starts at once.
/// </param>
public sealed record RunLaunch(
    long RunId,
    string Tool,
    string Job,
    string? Node,
    string Queue,
    string Command,
    string UnixUser,
    int Uid,
    int Gid,
    string Home,
    IReadOnlyDictionary<string, string> Environment,
    long MemoryBytes,
    int CpuMillis,
    int MaxProcesses,
    string? StdoutPath,
    string? StderrPath,
    TimeSpan? Timeout,
    TimeSpan GracePeriod,
    int? Port = null,
    HealthCheck? HealthCheck = null,
    string? WorkingDirectory = null,
    int Umask = JobDefaults.Umask,
    bool Interactive = false,
    TerminalSize? Terminal = null,
    DateTimeOffset? NotBefore = null);
