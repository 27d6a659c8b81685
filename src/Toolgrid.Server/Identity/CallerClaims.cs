using System.Security.Claims;
using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>How a <see cref="Caller"/> travels in a <see cref="ClaimsPrincipal"/>.</summary>
public static class CallerClaims
{
    public const string Tool = "toolgrid:tool";
    public const string Admin = "toolgrid:admin";
    public const string Via = "toolgrid:via";
    public const string Scope = "toolgrid:scope";
    public const string TokenId = "toolgrid:token";

    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);

        // A principal without a scope claim gets the least: a missing claim never grants more.
        var scope = Enum.TryParse<TokenScope>(principal.FindFirstValue(Scope), out var parsed) && Enum.IsDefined(parsed) ? parsed : TokenScope.Read;
        return new Caller(
            principal.Identity?.Name ?? throw new InvalidOperationException("the request is not authenticated"),
            principal.FindFirstValue(Tool),
            principal.HasClaim(Admin, "true"),
            Enum.Parse<CallerVia>(principal.FindFirstValue(Via) ?? nameof(CallerVia.Token)),
            scope,
            long.TryParse(principal.FindFirstValue(TokenId), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null);
    }

    /// <summary>The claims that carry <paramref name="caller"/>.</summary>
    public static List<Claim> Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.UserName),
            new(Via, caller.Via.ToString()),
            new(Scope, caller.Scope.ToString()),
        };
        if (caller.Tool is not null)
        {
            claims.Add(new Claim(Tool, caller.Tool));
        }

        if (caller.IsAdmin)
        {
            claims.Add(new Claim(Admin, "true"));
        }

        if (caller.TokenId is { } token)
        {
            claims.Add(new Claim(TokenId, token.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return claims;
    }
}
