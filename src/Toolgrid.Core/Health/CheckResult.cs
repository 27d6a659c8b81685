namespace Toolgrid.Core.Health;

/// <summary>One health check's outcome.</summary>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Message">What failed, in words (e.g. <c>GET http://127.0.0.1:8080/healthz: 500</c>); null when it passed.</param>
public sealed record CheckResult(bool Passed, string? Message)
{
    public static CheckResult Pass { get; } = new(true, null);

    public static CheckResult Fail(string message) => new(false, message);

    /// <summary>A duration in words: <c>2 s</c>, <c>0.5 s</c>, <c>150 ms</c>.</summary>
    public static string Describe(TimeSpan time) =>
        time < TimeSpan.FromSeconds(1)
            ? $"{Math.Round(time.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)} ms"
            : $"{Math.Round(time.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} s";
}
