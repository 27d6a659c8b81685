namespace Toolgrid.Core.Idempotency;

/// <summary>What to do with a request that carries an <c>Idempotency-Key</c>.</summary>
public enum IdempotencyDecision
{
    /// <summary>The key is new (or its record is too old to count): answer the request, and keep the answer.</summary>
    Answer,

    /// <summary>The same request was answered: send that answer again.</summary>
    Replay,

    /// <summary>The key was used for another request: refuse (422).</summary>
    KeyReused,

    /// <summary>The same request is being answered right now: ask the caller to retry (409).</summary>
    InProgress,

    /// <summary>The same request was being answered, but for so long that whoever answered it died: answer it afresh.</summary>
    TakeOver,
}
