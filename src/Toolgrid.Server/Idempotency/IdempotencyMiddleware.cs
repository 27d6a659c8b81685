using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Idempotency;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Idempotency;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header on creating requests (POST and PUT): the first
/// answer is kept with the key, the caller and a hash of the request, and a retry with the same
/// key and request gets that answer again (with <c>Idempotent-Replayed: true</c>) instead of a
/// second job, tool or token.
/// </summary>
/// <remarks>
/// <para>
/// The record is written before the request is answered (status empty), so that a retry that
/// arrives while the first request is still being answered is told so (409) rather than doing it
/// twice; and completed with the answer after. An answer of 500 or more, or an exception the
/// problem middleware turns into one, is not kept: the record is removed and a retry is answered
/// afresh. A record left empty by a toolgridd that died while answering is taken over after
/// <see cref="IdempotencyRules.AnswerLease"/>.
/// </para>
/// <para>
/// Runs after authentication and the scope check, so keys are per caller and a refused caller
/// never sees a kept answer.
/// </para>
/// </remarks>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, ILogger<IdempotencyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IDbContextFactory<ToolgridDbContext> contexts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!request.Headers.TryGetValue(IdempotencyRules.HeaderName, out var values)
            || !(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method))
            || context.User.Identity?.IsAuthenticated != true
            || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(context);
            return;
        }

        var problems = new Problems();
        var key = values.Count == 1 ? values[0] ?? "" : "";
        IdempotencyRules.Validate(key, problems);
        problems.ThrowIfAny();

        var caller = context.User.ToCaller().UserName;
        var hash = await HashAsync(request, context.RequestAborted);
        var answer = endpoint.Metadata.GetMetadata<IIdempotentAnswer>();
        var cancellationToken = context.RequestAborted;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var kept = await ClaimAsync(db, caller, key, hash, $"{request.Method} {request.Path}", time, cancellationToken);
            if (kept is not null)
            {
                LogReplayed(caller, key, request.Method, request.Path);
                context.Response.Headers[IdempotencyRules.ReplayedHeaderName] = "true";
                await ReplayAsync(context, kept, answer, cancellationToken);
                return;
            }
        }

        await AnswerAndKeepAsync(context, contexts, caller, key, answer, cancellationToken);
    }

    /// <summary>Takes the key for this request; returns the kept answer instead when there is one to replay.</summary>
    private static async Task<IdempotentRequest?> ClaimAsync(ToolgridDbContext db, string caller, string key, string hash, string what, TimeProvider time, CancellationToken cancellationToken)
    {
        // Two attempts: a concurrent request with the same key may insert between our look and our insert.
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var existing = await db.IdempotentRequests.FirstOrDefaultAsync(r => r.Caller == caller && r.Key == key, cancellationToken);
            switch (IdempotencyRules.Decide(existing, hash, now))
            {
                case IdempotencyDecision.Replay:
                    return existing;
                case IdempotencyDecision.KeyReused:
                    throw new KeyReusedException(key, existing!.Request, what);
                case IdempotencyDecision.InProgress:
                    throw ToolgridException.Conflict(
                        "idempotency-key-in-progress",
                        $"a request with Idempotency-Key '{key}' is still being answered; send it again in a moment to get its answer.");
            }

            try
            {
                if (existing is not null)
                {
                    // Too old to count, or taken over from a toolgridd that died answering it.
                    db.IdempotentRequests.Remove(existing);
                    await db.SaveChangesAsync(cancellationToken);
                }

                db.IdempotentRequests.Add(new IdempotentRequest { Caller = caller, Key = key, RequestHash = hash, Request = what, CreatedAt = now });
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task AnswerAndKeepAsync(HttpContext context, IDbContextFactory<ToolgridDbContext> contexts, string caller, string key, IIdempotentAnswer? answer, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        var kept = false;
        try
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is ValidationException || (e is ToolgridException { Kind: not ErrorKind.Unavailable }))
            {
                // A refusal is the answer to this request, and a retry gets it again.
                buffer.SetLength(0);
                await (e is ValidationException validation ? ProblemResponses.WriteAsync(context, validation) : ProblemResponses.WriteAsync(context, (ToolgridException)e));
            }

            var status = response.StatusCode;
            if (IdempotencyRules.Keeps(status))
            {
                var body = answer is not null && status < 300 ? answer.Keep(buffer.ToArray()) : buffer.ToArray();
                var contentType = response.ContentType;
                var location = response.Headers.Location.ToString() is { Length: > 0 } value ? value : null;
                await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
                await db.IdempotentRequests.Where(r => r.Caller == caller && r.Key == key).ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.Status, status)
                        .SetProperty(r => r.ContentType, contentType)
                        .SetProperty(r => r.Location, location)
                        .SetProperty(r => r.Body, body),
                    CancellationToken.None);
                kept = true;
            }

            buffer.Position = 0;
            response.Body = original;
            await buffer.CopyToAsync(original, cancellationToken);
        }
        finally
        {
            response.Body = original;
            if (!kept)
            {
                // Not answered, or answered with a failure of the platform: the next try starts afresh.
                await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
                await db.IdempotentRequests.Where(r => r.Caller == caller && r.Key == key && r.Status == null).ExecuteDeleteAsync(CancellationToken.None);
            }
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentRequest kept, IIdempotentAnswer? answer, CancellationToken cancellationToken)
    {
        var status = kept.Status!.Value;
        var body = kept.Body ?? [];
        if (kept.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        if (answer is not null && status < 300)
        {
            await answer.ReplayAsync(context, status, body, cancellationToken);
            return;
        }

        context.Response.StatusCode = status;
        if (kept.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType;
        }

        await context.Response.Body.WriteAsync(body, cancellationToken);
    }

    /// <summary>SHA-256 of the method, path, query and body: what makes two requests the same request.</summary>
    private static async Task<string> HashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "{Caller} sent {Method} {Path} again with Idempotency-Key {Key}: answered with the first answer")]
    private partial void LogReplayed(string caller, string key, string method, PathString path);
}
