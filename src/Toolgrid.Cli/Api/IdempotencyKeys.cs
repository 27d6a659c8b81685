using System.Globalization;

namespace Toolgrid.Cli.Api;

/// <summary>
/// The idempotency keys of one invocation of the CLI: a random part of its own, and a number for
/// each creating request it makes, so that its retries carry the key of the request they repeat
/// and its other requests never share one.
/// </summary>
public sealed class IdempotencyKeys
{
    private readonly string _invocation = Guid.NewGuid().ToString("N");
    private int _count;

    /// <summary>The key of the next creating request.</summary>
    public string Next() => _invocation + "-" + Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
}
