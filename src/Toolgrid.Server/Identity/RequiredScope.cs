using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>Endpoint metadata: the token scope a request to the endpoint needs.</summary>
/// <remarks>
/// An endpoint without it needs <see cref="TokenScope.Read"/> for GET and HEAD and
/// <see cref="TokenScope.Admin"/> for anything else (<see cref="For"/>): one that forgets to
/// say asks for the most, never the least.
/// </remarks>
/// <param name="Scope">The scope needed.</param>
public sealed record RequiredScope(TokenScope Scope)
{
    /// <summary>The scope a request to <paramref name="endpoint"/> with <paramref name="method"/> needs.</summary>
    public static TokenScope For(Endpoint? endpoint, string method) =>
        endpoint?.Metadata.GetMetadata<RequiredScope>()?.Scope
        ?? (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? TokenScope.Read : TokenScope.Admin);
}
