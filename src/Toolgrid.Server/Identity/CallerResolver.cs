using Microsoft.EntityFrameworkCore;
using Toolgrid.Accounts;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Identity;

/// <summary>Turns a uid (from the kernel) or a token (from a header) into a <see cref="Caller"/>.</summary>
public sealed class CallerResolver(IUserDatabase users, IToolAccounts accounts, UnixCallers callers, IDbContextFactory<ToolgridDbContext> contexts, TimeProvider time)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The caller behind a uid, or null (with a reason) when the uid has no user name.</summary>
    public Caller? FromUid(int uid, out string? failure)
    {
        failure = null;
        var caller = ForUid(uid, CallerVia.PeerCredentials);
        if (caller is null)
        {
            failure = $"uid {uid} has no user name on this host.";
        }

        return caller;
    }

    /// <summary>The caller a token belongs to, or null (with a reason) when the token is unknown, revoked or expired.</summary>
    public async Task<(Caller? Caller, string? Failure)> FromTokenAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = TokenSecrets.Hash(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.Tokens.FirstOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null || !token.IsUsable(now))
        {
            return (null, token is null ? "the token is not known." : token.RevokedAt is not null ? "the token was revoked." : "the token has expired.");
        }

        var user = users.FindUser(token.UserName);
        if (user is null)
        {
            return (null, UserGone(token.UserName));
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
        {
            token.LastUsedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (StoreFailures.IsDiskFull(e))
            {
                // A hint, not a record: with the store's disk full the caller is still known, and
                // reads (toolgrid status, which says why writes fail) still work.
            }
        }

        return ForUid(user.Uid, CallerVia.Token) is { } caller
            ? (caller with { Scope = token.Scope, TokenId = token.Id }, null)
            : (null, UserGone(token.UserName));
    }

    private static string UserGone(string userName) => $"the token's user {userName} no longer exists on this host.";

    private Caller? ForUid(int uid, CallerVia via)
    {
        if (accounts.Mode == AccountMode.SingleUser)
        {
            // Every tool runs as the server's user; whoever shares that uid owns the platform.
            var user = users.FindUser(uid);
            return user is null ? null : new Caller(user.Name, null, uid == users.EffectiveUid || uid == 0, via);
        }

        return callers.FromPeerCredentials(uid) is { } caller ? caller with { Via = via } : null;
    }
}
