using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Server.Idempotency;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tokens</c>: the caller's bearer tokens for the API over TCP.</summary>
/// <remarks>
/// Tokens are made on the Unix socket, or with a token of scope admin (its child: no broader,
/// no longer-lived, revoked with it). Revoking a token revokes every token made from it, in one
/// transaction.
/// </remarks>
public static class TokenEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapTokenEndpoints(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("", ListAsync).Produces<List<TokenView>>();
        tokens.MapPost("", CreateAsync).Accepts<TokenCreateRequest>("application/json").Produces<TokenView>(StatusCodes.Status201Created)
            .WithMetadata(new SecretAnswer());
        // Any token may revoke itself (and what it made): that only ever takes power away. Revoking
        // another token needs scope admin, checked in RevokeAsync.
        tokens.MapDelete("/{id:long}", RevokeAsync).Produces<List<TokenView>>().RequireScope(TokenScope.Read);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var now = time.GetUtcNow();
        var tokens = await db.Tokens.AsNoTracking().Where(t => t.UserName == caller.UserName && t.RevokedAt == null).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return Results.Ok(tokens.Where(t => t.IsUsable(now)).Select(t => Views.Of(t)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ToolgridDbContext db, IOptions<TokenOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<TokenCreateRequest>(context.Request, problems, cancellationToken);
        int? uid = PeerCredentials.TryGet(context, out var peer) ? peer.Uid : null;

        // The parent's check and the child's insert in one write transaction, so that a child is
        // never made of a parent being revoked at the same moment (revocation takes the same lock).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var parent = caller.TokenId is { } id ? await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken) : null;
        var now = time.GetUtcNow();
        var plan = TokenRules.Plan(request, caller, parent, uid, options.Value.Lifetimes, now, problems);
        problems.ThrowIfAny();

        var secret = TokenSecrets.NewSecret();
        var token = new ApiToken
        {
            UserName = caller.UserName,
            Name = plan!.Name,
            SecretHash = TokenSecrets.Hash(secret),
            Scope = plan.Scope,
            CreatedAt = now,
            ExpiresAt = plan.ExpiresAt,
            ParentId = plan.ParentId,
            MadeBy = plan.MadeBy,
        };
        db.Tokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Results.Created($"/api/v1/tokens/{token.Id}", Views.Of(token, secret));
    }

    private static async Task<IResult> RevokeAsync(long id, HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        if (caller.TokenId != id)
        {
            Access.DemandScope(caller, TokenScope.Admin, $"Revoking token {id}");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == id && t.RevokedAt == null, cancellationToken);
        if (token is null || (token.UserName != caller.UserName && !caller.IsAdmin))
        {
            throw ToolgridException.NotFound("token-not-found", $"you have no token with id {id}; 'toolgrid tokens list' shows yours.");
        }

        // A child belongs to its parent's user, so the user's tokens hold the whole family.
        var family = TokenRules.Family(await db.Tokens.Where(t => t.UserName == token.UserName).ToListAsync(cancellationToken), id);
        var now = time.GetUtcNow();
        var revoked = family.Where(t => t.RevokedAt is null).ToList();
        foreach (var member in revoked)
        {
            member.RevokedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Results.Ok(revoked.Select(t => Views.Of(t)).ToList());
    }

    /// <summary>
    /// A token's secret is never kept, not even for a retry: the kept answer has none, and a
    /// retry with the same idempotency key gets the same token with a new secret (the first one,
    /// which never reached the caller, stops working).
    /// </summary>
    private sealed class SecretAnswer : IIdempotentAnswer
    {
        public byte[] Keep(byte[] body)
        {
            var view = JsonNode.Parse(body)!.AsObject();
            view["secret"] = null;
            return JsonSerializer.SerializeToUtf8Bytes(view, Json);
        }

        public async Task ReplayAsync(HttpContext context, int status, byte[] kept, CancellationToken cancellationToken)
        {
            var id = JsonSerializer.Deserialize<TokenView>(kept, Json)!.Id;
            var caller = context.User.ToCaller();
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            var db = context.RequestServices.GetRequiredService<ToolgridDbContext>();
            var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == id && t.UserName == caller.UserName, cancellationToken);
            if (token is null || !token.IsUsable(time.GetUtcNow()))
            {
                throw ToolgridException.Conflict(
                    "token-gone",
                    $"this request made token {id}, which has been revoked or has expired since; send the request again with a new Idempotency-Key to make another.");
            }

            var secret = TokenSecrets.NewSecret();
            token.SecretHash = TokenSecrets.Hash(secret);
            await db.SaveChangesAsync(cancellationToken);
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(Views.Of(token, secret), Json, cancellationToken);
        }
    }
}
