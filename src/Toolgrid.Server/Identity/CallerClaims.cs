using System.Security.Claims;
using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>How a <see cref="Caller"/> travels in a <see cref="ClaimsPrincipal"/>.</summary>
public static class CallerClaims
{
    public const string Tool = "toolgrid:tool";
    public const string Admin = "toolgrid:admin";
    public const string Via = "toolgrid:via";

    public static Caller ToCaller(this ClaimsPrincipal principal) => new(
        principal.Identity?.Name ?? throw new InvalidOperationException("the request is not authenticated"),
        principal.FindFirstValue(Tool),
        principal.HasClaim(Admin, "true"),
        Enum.Parse<CallerVia>(principal.FindFirstValue(Via) ?? nameof(CallerVia.Token)));
}
