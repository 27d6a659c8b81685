using Toolgrid.Contracts;

namespace Toolgrid.Core.Identity;

/// <summary>How a token's scope is spelled on the wire (API, CLI).</summary>
public static class TokenWire
{
    /// <summary><c>read</c>, <c>jobs</c> or <c>admin</c>.</summary>
    public static string Of(TokenScope scope) => scope.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out TokenScope scope) => WireSpelling.TryParse(text, Of, out scope);
}
