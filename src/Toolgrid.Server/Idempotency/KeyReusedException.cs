namespace Toolgrid.Server.Idempotency;

/// <summary>An <c>Idempotency-Key</c> sent with a request other than the one it was first sent with (422).</summary>
public sealed class KeyReusedException : Exception
{
    public KeyReusedException(string key, string first, string now)
        : base($"Idempotency-Key '{key}' was first sent with another request ({first}, with another body or query) than this one ({now}); a key belongs to one request. Send a new key with each new request, and the same key only when sending the very same request again.")
    {
    }

    public KeyReusedException()
    {
    }

    public KeyReusedException(string message)
        : base(message)
    {
    }

    public KeyReusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
