namespace Toolgrid.Contracts.Api;

/// <summary><c>POST /api/v1/tools/{tool}/webservice</c>: start (or change) the tool's web service.</summary>
public sealed record WebserviceStartRequest
{
    /// <summary>generic (the default with a command), node, python, or static (the default without one).</summary>
    public string? Type { get; init; }

    /// <summary>For generic: the command, which must listen on <c>$PORT</c>.</summary>
    public string? Command { get; init; }

    public int? Replicas { get; init; }

    public string? Mem { get; init; }

    public string? Cpu { get; init; }

    /// <summary>The path the health check asks for (default <c>/</c>).</summary>
    public string? HealthPath { get; init; }

    /// <summary>
    /// Whether the proxy passes on requests for paths with a name that starts with '.' (default
    /// false: it answers them 404 itself, so that a server of files never shows <c>~/.ssh</c>).
    /// </summary>
    public bool? AllowDotPaths { get; init; }
}

/// <summary>A tool's web service as the API shows it.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Type">generic, node, python, static, or none.</param>
/// <param name="State">running, starting, crash-looping, stopped.</param>
/// <param name="Status">What is happening, in words.</param>
/// <param name="Urls">Where it is served.</param>
/// <param name="Replicas">How many replicas are wanted.</param>
/// <param name="Ready">How many replicas pass their health check and get traffic.</param>
/// <param name="Job">The continuous job behind it, when there is one.</param>
/// <param name="Warning">What is wrong though it runs, in words (a replica that listens outside loopback, reachable around the proxy); null when nothing is.</param>
/// <param name="AllowDotPaths">Whether the proxy passes on paths with a name that starts with '.' (else it answers them 404).</param>
public sealed record WebserviceView(string Tool, string Type, string State, string Status, IReadOnlyList<string> Urls, int Replicas, int Ready, JobView? Job, string? Warning = null, bool AllowDotPaths = false);
