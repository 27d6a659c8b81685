using System.Globalization;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;

namespace Toolgrid.Core.Identity;

/// <summary>How tokens are made and revoked. Pure.</summary>
/// <remarks>
/// A token is made either on the Unix socket, where the kernel vouches for the caller, or with
/// another token. A tool acting as itself gets at most <see cref="ToolScopeMax"/>. One made
/// with a token is that token's child: it needs the parent's
/// <see cref="TokenScope.Admin"/> scope, gets at most the parent's scope, expires no later than
/// the parent, and is revoked with it. So a leaked token can be cut off whole, with everything
/// made from it, by revoking it.
/// </remarks>
public static class TokenRules
{
    public const int MaxNameLength = 128;

    /// <summary>The scope of a token made without one.</summary>
    public const TokenScope DefaultScope = TokenScope.Jobs;

    /// <summary>
    /// The most a token of a tool's own user may have. Its identity is within reach of whatever
    /// the tool runs; with no token of scope admin, no leak of it can make more tokens.
    /// </summary>
    public const TokenScope ToolScopeMax = TokenScope.Jobs;

    /// <summary>Decides what a new token will be, or adds the problems with the request.</summary>
    /// <param name="request">What the caller asked for.</param>
    /// <param name="caller">Who asks.</param>
    /// <param name="parent">The token the caller used (over TCP), as the store has it now; null on the Unix socket.</param>
    /// <param name="peerUid">The caller's uid on the Unix socket, when known.</param>
    /// <param name="lifetimes">The site's lifetimes.</param>
    /// <param name="now">Now.</param>
    /// <param name="problems">Where problems with the request go.</param>
    /// <returns>The plan, or null when <paramref name="problems"/> has any.</returns>
    public static TokenPlan? Plan(TokenCreateRequest request, Caller caller, ApiToken? parent, int? peerUid, TokenLifetimes lifetimes, DateTimeOffset now, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(lifetimes);
        ArgumentNullException.ThrowIfNull(problems);
        if (caller.Via == CallerVia.Token)
        {
            if (parent is null || !parent.IsUsable(now))
            {
                throw new ToolgridException(ErrorKind.Unauthenticated, "unauthenticated", "the token used for this request was revoked or has expired meanwhile.");
            }

            Access.DemandScope(caller with { Scope = parent.Scope }, TokenScope.Admin, "Making a token with a token");
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            problems.Add("name", $"a token's name is at most {MaxNameLength} printable characters.");
        }

        var scope = DefaultScope;
        if (request.Scope is not null && !TokenWire.TryParse(request.Scope.Trim().ToLowerInvariant(), out scope))
        {
            problems.Add("scope", $"'{InputText.Shorten(request.Scope)}' is not a token scope: use read, jobs or admin.");
        }
        else if (caller.IsTool && !caller.IsAdmin && scope > ToolScopeMax)
        {
            problems.Add("scope", $"tool '{caller.Tool}' acting as itself may make tokens of scope read or jobs, not {TokenWire.Of(scope)}: admin covers tools, maintainers and tokens, which only people change. Make an admin token as yourself.");
        }
        else if (parent is not null && scope > parent.Scope)
        {
            problems.Add("scope", $"a token made with token {parent.Id} may have at most its scope, {TokenWire.Of(parent.Scope)}; asked for {TokenWire.Of(scope)}.");
        }

        var days = request.ExpiresInDays ?? lifetimes.DefaultDays;
        if (days < 1 || days > lifetimes.MaxDays)
        {
            problems.Add("expiresInDays", $"a token expires after 1 to {lifetimes.MaxDays} days on this site; got {days}.");
        }

        if (!problems.IsEmpty)
        {
            return null;
        }

        // To the second: what the store keeps, and the list shows, is what this answer says.
        var expiresAt = now.AddDays(days).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        if (parent?.ExpiresAt is { } parentExpires && parentExpires < expiresAt)
        {
            // A child never outlives its parent.
            expiresAt = parentExpires;
        }

        return new TokenPlan(name, scope, expiresAt, parent?.Id, MadeBy(caller, parent, peerUid));
    }

    /// <summary>What made a token, in words: <c>token 12</c>, or <c>socket uid 1000 as alice</c>.</summary>
    public static string MadeBy(Caller caller, ApiToken? parent, int? peerUid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (parent is not null)
        {
            return "token " + parent.Id.ToString(CultureInfo.InvariantCulture);
        }

        return peerUid is { } uid
            ? $"socket uid {uid.ToString(CultureInfo.InvariantCulture)} as {caller.UserName}"
            : $"socket as {caller.UserName}";
    }

    /// <summary>
    /// The token <paramref name="rootId"/> and every token made from it, recursively: what
    /// revoking it revokes. Empty when <paramref name="tokens"/> lacks it.
    /// </summary>
    /// <param name="tokens">At least the root and every token that may descend from it (a user's tokens: a child belongs to its parent's user).</param>
    /// <param name="rootId">The token being revoked.</param>
    public static IReadOnlyList<ApiToken> Family(IEnumerable<ApiToken> tokens, long rootId)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var all = tokens.ToList();
        var children = all.Where(t => t.ParentId is not null).ToLookup(t => t.ParentId!.Value);
        var family = new List<ApiToken>();
        var seen = new HashSet<long>();
        var next = new Queue<ApiToken>(all.Where(t => t.Id == rootId));
        while (next.TryDequeue(out var token))
        {
            if (!seen.Add(token.Id))
            {
                continue;
            }

            family.Add(token);
            foreach (var child in children[token.Id])
            {
                next.Enqueue(child);
            }
        }

        return family;
    }
}
