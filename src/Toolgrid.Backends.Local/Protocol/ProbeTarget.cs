using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>What the prober needs of one run, read from its spec (<see cref="RunHealthSpec.Read"/>).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Check">Its health check.</param>
/// <param name="Port">Its port, for an HTTP check.</param>
/// <param name="Uid">The tool's uid, which a script check runs as.</param>
/// <param name="Gid">The tool's primary gid.</param>
/// <param name="Groups">The tool's supplementary groups.</param>
/// <param name="WorkingDirectory">The run's working directory, where a script check runs.</param>
/// <param name="Environment">The run's environment (as the shepherd builds it), which a script check gets.</param>
internal sealed record ProbeTarget(
    long RunId,
    HealthCheck Check,
    int? Port,
    int Uid,
    int Gid,
    IReadOnlyList<int> Groups,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);
