using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Api;

// The API, continued: the caller's tokens, and what a person may have.
public sealed partial class ToolgridClient
{
    /// <summary>The caller's tokens.</summary>
    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/tokens", null, CliJsonContext.Default.IReadOnlyListTokenView, cancellationToken);

    /// <summary>Makes a token for the caller; its <see cref="TokenView.Secret"/> is shown only this once.</summary>
    public Task<TokenView> CreateTokenAsync(TokenCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/tokens", Body(request, CliJsonContext.Default.TokenCreateRequest), CliJsonContext.Default.TokenView, cancellationToken);

    /// <summary>Revokes the token and every token made from it; returns them.</summary>
    public Task<IReadOnlyList<TokenView>> RevokeTokenAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, FormattableString.Invariant($"api/v1/tokens/{id}"), null, CliJsonContext.Default.IReadOnlyListTokenView, cancellationToken);

    /// <summary>What one person may have, and has (their own, or anyone's for an admin).</summary>
    public Task<UserLimitsView> GetUserLimitsAsync(string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, UserPath(user) + "/limits", null, CliJsonContext.Default.UserLimitsView, cancellationToken);

    /// <summary>Admins only: raises or resets what one person may have.</summary>
    public Task<UserLimitsView> UpdateUserLimitsAsync(string user, UserLimitsUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, UserPath(user) + "/limits", Body(update, CliJsonContext.Default.UserLimitsUpdate), CliJsonContext.Default.UserLimitsView, cancellationToken);

    internal static string UserPath(string user) => "api/v1/users/" + Uri.EscapeDataString(user);
}
