using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>
/// Authenticates API callers: over the Unix socket by the kernel's peer credentials, with no
/// token; over TCP by a bearer token.
/// </summary>
public sealed class CallerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerResolver resolver)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "toolgrid";

    private const string FailureKey = "toolgrid.auth-failure";

    private const string HowToGetAToken = "Make a token with 'toolgrid tokens create' on the login host, or use the Unix socket there.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PeerCredentials.TryGet(Context, out var peer))
        {
            var caller = resolver.FromUid(peer.Uid, out var failure);
            return caller is null ? Fail(failure!) : Success(caller);
        }

        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Fail("no token: over TCP, send 'Authorization: Bearer <token>'. " + HowToGetAToken);
        }

        const string bearer = "Bearer ";
        var secret = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header[bearer.Length..].Trim() : null;
        if (!TokenSecrets.LooksLikeSecret(secret))
        {
            return Fail("the Authorization header is not 'Bearer tg_…'. " + HowToGetAToken);
        }

        var (fromToken, tokenFailure) = await resolver.FromTokenAsync(secret!, Context.RequestAborted);
        return fromToken is null ? Fail(tokenFailure + " " + HowToGetAToken) : Success(fromToken);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Context.Items[FailureKey] as string ?? "the caller could not be identified.";
        await ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthenticated", "Who is calling could not be established.", detail, []);
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(Caller caller)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(CallerClaims.Of(caller), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
