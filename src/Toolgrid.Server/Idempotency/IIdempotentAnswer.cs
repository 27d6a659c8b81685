namespace Toolgrid.Server.Idempotency;

/// <summary>
/// Endpoint metadata for a successful answer that must not be kept as it was sent (one that
/// holds a secret): what is kept of it, and how a retry is answered from that. Refusals are
/// kept and replayed as they were.
/// </summary>
public interface IIdempotentAnswer
{
    /// <summary>What is kept of the first answer's body (a 2xx answer).</summary>
    byte[] Keep(byte[] body);

    /// <summary>Answers a retry from what was kept of a 2xx answer, writing the whole response.</summary>
    Task ReplayAsync(HttpContext context, int status, byte[] kept, CancellationToken cancellationToken);
}
