using Toolgrid.Contracts;

namespace Toolgrid.Core.Jobs;

/// <summary>How the words of a job are spelled on the wire (API, CLI, jobs.yaml, mail).</summary>
/// <remarks>
/// A run's states and reasons are spelled by <see cref="Contracts.Runs.RunWire"/>, a token's
/// scope by <c>TokenWire</c> in Identity.
/// </remarks>
public static class JobWire
{
    public static string Of(RestartPolicy policy) => policy == RestartPolicy.OnFailure ? "on-failure" : "always";

    public static string Of(ConcurrencyPolicy policy) => policy.ToString().ToLowerInvariant();

    public static string Of(CatchUpPolicy policy) => policy.ToString().ToLowerInvariant();

    public static string Of(WebserviceType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out RestartPolicy policy) => WireSpelling.TryParse(text, Of, out policy);

    public static bool TryParse(string? text, out ConcurrencyPolicy policy) => WireSpelling.TryParse(text, Of, out policy);

    public static bool TryParse(string? text, out CatchUpPolicy policy) => WireSpelling.TryParse(text, Of, out policy);

    public static bool TryParse(string? text, out WebserviceType type) => WireSpelling.TryParse(text, Of, out type);

    public static string Of(JobKind kind) => kind switch
    {
        JobKind.OneOff => "one-off",
        JobKind.Continuous => "continuous",
        JobKind.Scheduled => "scheduled",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Toolforge's spelling: none, onfailure, onfinish, all.</summary>
    public static string Of(EmailPolicy policy) => policy.ToString().ToLowerInvariant();

    public static bool TryParseEmails(string? text, out EmailPolicy policy)
    {
        policy = EmailPolicy.None;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none":
                return true;
            case "onfailure" or "on-failure":
                policy = EmailPolicy.OnFailure;
                return true;
            case "onfinish" or "on-finish":
                policy = EmailPolicy.OnFinish;
                return true;
            case "all":
                policy = EmailPolicy.All;
                return true;
            default:
                return false;
        }
    }
}
