using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Idempotency;

/// <summary>The rules of the <c>Idempotency-Key</c> header. Pure.</summary>
/// <remarks>
/// A client that sent a creating request and got no answer cannot tell whether it was done; with
/// a key of its choosing it can simply send it again, and gets the first answer, not a second
/// job or a 409. A key belongs to one request: the same key with another method, path or body
/// is refused, because it says the client is confused. Records are kept for
/// <see cref="KeptFor"/>; a request whose answer was never recorded (toolgridd stopped while
/// answering) is answered afresh after <see cref="AnswerLease"/>.
/// </remarks>
public static class IdempotencyRules
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>Set on an answer that is a replay of the first one.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    public const int MaxKeyLength = 255;

    /// <summary>How long a key and its answer are kept.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    /// <summary>How long the first request may take before a retry takes it to have died.</summary>
    public static readonly TimeSpan AnswerLease = TimeSpan.FromMinutes(5);

    /// <summary>Checks a key: 1 to 255 visible ASCII characters.</summary>
    public static void Validate(string key, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(problems);
        if (key.Length == 0 || key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            problems.Add(HeaderName, $"an idempotency key is 1 to {MaxKeyLength} visible ASCII characters (a UUID will do); got '{InputText.Shorten(key)}'.");
        }
    }

    /// <summary>What to do with a request of hash <paramref name="requestHash"/> whose key has the record <paramref name="existing"/> (or none).</summary>
    public static IdempotencyDecision Decide(IdempotentRequest? existing, string requestHash, DateTimeOffset now)
    {
        if (existing is null || now - existing.CreatedAt >= KeptFor)
        {
            return IdempotencyDecision.Answer;
        }

        if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return IdempotencyDecision.KeyReused;
        }

        if (existing.Status is not null)
        {
            return IdempotencyDecision.Replay;
        }

        return now - existing.CreatedAt >= AnswerLease ? IdempotencyDecision.TakeOver : IdempotencyDecision.InProgress;
    }

    /// <summary>Whether an answer of <paramref name="status"/> is kept for retries.</summary>
    /// <remarks>
    /// Answers below 500 are what the request came to, and a retry gets them again. A 5xx says
    /// a system the platform needs failed, which a retry may find mended: it is not kept, and
    /// the next request with the key is answered afresh.
    /// </remarks>
    public static bool Keeps(int status) => status is >= 200 and < 500;
}
