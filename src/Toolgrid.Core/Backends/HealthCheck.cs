namespace Toolgrid.Core.Backends;

/// <summary>
/// How a run's health is checked, by its node: a command that exits 0, or an HTTP GET on the
/// run's port that answers 2xx or 3xx. The startup check repeats until it first passes (the run
/// is then ready); the liveness check then repeats for as long as the run lives, and
/// <see cref="FailureThreshold"/> failures in a row make the run unhealthy.
/// </summary>
/// <param name="Script">A command run as <c>/bin/sh -c</c>, as the tool, in the run's working directory; or null.</param>
/// <param name="HttpPath">A path such as <c>/healthz</c> on <c>http://127.0.0.1:$PORT</c>; or null.</param>
/// <param name="Interval">Time between checks.</param>
/// <param name="Timeout">How long one check may take.</param>
/// <param name="StartupTimeout">How long a run may take to pass its first check before it is unhealthy.</param>
/// <param name="FailureThreshold">Failures in a row that make a ready run unhealthy.</param>
public sealed record HealthCheck(
    string? Script,
    string? HttpPath,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan StartupTimeout,
    int FailureThreshold)
{
    public static HealthCheck? For(string? script, string? httpPath) =>
        script is null && httpPath is null
            ? null
            : new HealthCheck(script, httpPath, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), 3);
}
