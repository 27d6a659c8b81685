using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;
using Toolgrid.Store;

namespace Toolgrid.Server.Api;

/// <summary>
/// ASP.NET's exception handler (<c>UseExceptionHandler</c>) calls this for whatever an endpoint
/// throws: refusals become their problem details, anything unexpected a 500 that shows no
/// exception text. The response has been cleared when it is called, and it is not called once
/// the response has started.
/// </summary>
public sealed partial class ToolgridExceptionHandler(ServerPaths paths, IOptions<StoreOptions> store, ILogger<ToolgridExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var context = httpContext;
        switch (exception)
        {
            case ValidationException e:
                await ProblemResponses.WriteAsync(context, e);
                break;
            case ToolgridException e:
                if (e.Kind == ErrorKind.Unavailable)
                {
                    LogUnavailable(e, context.Request.Method, context.Request.Path);
                }

                await ProblemResponses.WriteAsync(context, e);
                break;
            case Idempotency.KeyReusedException e:
                await ProblemResponses.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "The idempotency key belongs to another request.", e.Message, []);
                break;
            case BadHttpRequestException e when QueryValue.Describe(e) is { } problem:
                await ProblemResponses.WriteAsync(context, e.StatusCode, "bad-request", "The request is not valid.", problem.Message, [problem]);
                break;
            case BadHttpRequestException e:
                await ProblemResponses.WriteAsync(context, e.StatusCode, "bad-request", "The request is not valid.", "the request could not be read; see docs/api.md for what each endpoint takes.", []);
                break;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                // The caller went away: nobody reads an answer.
                break;
            case var e when StoreFailures.IsDiskFull(e):
                // Not the caller's fault, and it passes once space is freed: say so, never a bare 500.
                LogDiskFull(e, context.Request.Method, context.Request.Path);
                await ProblemResponses.WriteAsync(context, DiskFullProblem(e));
                break;
            default:
                LogUnexpected(exception, context.Request.Method, context.Request.Path, context.TraceIdentifier);
                await ProblemResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred.", $"The error was logged with trace id {context.TraceIdentifier}.", []);
                break;
        }

        return true;
    }

    /// <summary>What a full disk means to the caller: the store's when SQLite says so, otherwise the file's the error names.</summary>
    private ToolgridException DiskFullProblem(Exception exception) => StoreFailures.IsStoreFull(exception)
        ? ToolgridException.Unavailable("store-disk-full", $"the store's disk is full ({store.Value.Path ?? paths.StorePath}): nothing was recorded. Ask an operator to free space on that file system, then try again.")
        : ToolgridException.Unavailable("disk-full", $"a disk toolgridd writes to is full ({exception.GetBaseException().Message}). Ask an operator to free space on it, then try again.");

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "{Method} {Path}: the disk is full; answered 503")]
    private partial void LogDiskFull(Exception exception, string method, PathString path);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly (trace {TraceId})")]
    private partial void LogUnexpected(Exception exception, string method, PathString path, string traceId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "{Method} {Path}: a system the platform needs failed")]
    private partial void LogUnavailable(Exception exception, string method, PathString path);
}
