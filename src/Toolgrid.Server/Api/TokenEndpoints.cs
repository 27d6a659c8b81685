using Microsoft.EntityFrameworkCore;
using Toolgrid.Core.Api;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Validation;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary><c>/api/v1/tokens</c>: the caller's bearer tokens for the API over TCP.</summary>
public static class TokenEndpoints
{
    public const int MaxExpiryDays = 3650;

    public static RouteGroupBuilder MapTokenEndpoints(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("", ListAsync).Produces<List<TokenView>>();
        tokens.MapPost("", CreateAsync).Accepts<TokenCreateRequest>("application/json").Produces<TokenView>(StatusCodes.Status201Created);
        tokens.MapDelete("/{id:long}", RevokeAsync).Produces(StatusCodes.Status204NoContent);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var now = time.GetUtcNow();
        var tokens = await db.Tokens.AsNoTracking().Where(t => t.UserName == caller.UserName && t.RevokedAt == null).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return Results.Ok(tokens.Where(t => t.IsUsable(now)).Select(t => Views.Of(t)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var problems = new Problems();
        var request = await StrictJson.ReadAsync<TokenCreateRequest>(context.Request, problems, cancellationToken);
        var name = request.Name?.Trim() ?? "";
        if (name.Length > 128 || name.Any(char.IsControl))
        {
            problems.Add("name", "a token's name is at most 128 printable characters.");
        }

        if (request.ExpiresInDays is { } days && (days < 1 || days > MaxExpiryDays))
        {
            problems.Add("expiresInDays", $"a token expires after 1 to {MaxExpiryDays} days; got {days}.");
        }

        problems.ThrowIfAny();
        var now = time.GetUtcNow();
        var secret = TokenSecrets.NewSecret();
        var token = new ApiToken
        {
            UserName = caller.UserName,
            Name = name,
            SecretHash = TokenSecrets.Hash(secret),
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } d ? now.AddDays(d) : null,
        };
        db.Tokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/v1/tokens/{token.Id}", Views.Of(token, secret));
    }

    private static async Task<IResult> RevokeAsync(long id, HttpContext context, ToolgridDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = context.User.ToCaller();
        var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == id && t.RevokedAt == null, cancellationToken);
        if (token is null || (token.UserName != caller.UserName && !caller.IsAdmin))
        {
            throw ToolgridException.NotFound("token-not-found", $"you have no token with id {id}; 'toolgrid tokens list' shows yours.");
        }

        token.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
