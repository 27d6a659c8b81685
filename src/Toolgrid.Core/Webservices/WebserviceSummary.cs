namespace Toolgrid.Core.Webservices;

/// <summary>What a tool's web service is doing, as the API, the CLI and the pages say it.</summary>
/// <param name="Type">generic, node, python, static, or none.</param>
/// <param name="State">running, starting, crash-looping, or stopped.</param>
/// <param name="Status">What is happening, in words.</param>
/// <param name="Replicas">How many replicas are wanted (0 without a process).</param>
/// <param name="Ready">How many replicas get traffic: running, on a node that is up, past their health check.</param>
/// <param name="Warning">What is wrong though it runs, in words (a replica that can be reached around the proxy); null when nothing is.</param>
public sealed record WebserviceSummary(string Type, string State, string Status, int Replicas, int Ready, string? Warning = null)
{
    public const string Running = "running";
    public const string Starting = "starting";
    public const string CrashLooping = "crash-looping";
    public const string Stopped = "stopped";

    /// <summary>Whether it answers: it has a ready replica, or it is static (the proxy serves <c>public_html</c>).</summary>
    public bool IsUp => State == Running;

    /// <summary>Whether the tool has no web service at all (nothing to be up or down).</summary>
    public bool IsNone => Type == "none";
}
