using Toolgrid.Contracts;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core;

/// <summary>How the words of the house are spelled on the wire (API, CLI, jobs.yaml, mail).</summary>
public static class Wire
{
    public static string Of(RunState state) => RunWire.Of(state);

    public static string Of(RunReason reason) => RunWire.Of(reason);

    public static string Of(RestartPolicy policy) => policy == RestartPolicy.OnFailure ? "on-failure" : "always";

    public static string Of(ConcurrencyPolicy policy) => policy.ToString().ToLowerInvariant();

    public static string Of(CatchUpPolicy policy) => policy.ToString().ToLowerInvariant();

    public static string Of(WebserviceType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out RestartPolicy policy) => TryParseEnum(text, Of, out policy);

    public static bool TryParse(string? text, out ConcurrencyPolicy policy) => TryParseEnum(text, Of, out policy);

    public static bool TryParse(string? text, out CatchUpPolicy policy) => TryParseEnum(text, Of, out policy);

    public static bool TryParse(string? text, out WebserviceType type) => TryParseEnum(text, Of, out type);

    /// <summary><c>read</c>, <c>jobs</c> or <c>admin</c>.</summary>
    public static string Of(TokenScope scope) => scope.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out TokenScope scope) => TryParseEnum(text, Of, out scope);

    public static string Of(JobKind kind) => kind switch
    {
        JobKind.OneOff => "one-off",
        JobKind.Continuous => "continuous",
        JobKind.Scheduled => "scheduled",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Toolforge's spelling: none, onfailure, onfinish, all.</summary>
    public static string Of(EmailPolicy policy) => policy.ToString().ToLowerInvariant();

    /// <summary>The run state a wire spelling names (the inverse of <see cref="Of(RunState)"/>).</summary>
    public static bool TryParse(string? text, out RunState state) => RunWire.TryParse(text, out state);

    /// <summary>The run reason a wire spelling names (the inverse of <see cref="Of(RunReason)"/>).</summary>
    public static bool TryParse(string? text, out RunReason reason) => RunWire.TryParse(text, out reason);

    private static bool TryParseEnum<T>(string? text, Func<T, string> spell, out T value)
        where T : struct, Enum => WireSpelling.TryParse(text, spell, out value);

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
