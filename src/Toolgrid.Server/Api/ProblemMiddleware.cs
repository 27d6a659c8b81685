using Microsoft.AspNetCore.Http.Features;
using Toolgrid.Core.Errors;
using Toolgrid.Core.Validation;

namespace Toolgrid.Server.Api;

/// <summary>Turns refusals into problem details, and anything unexpected into a 500 that shows no exception text.</summary>
public sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ValidationException e) when (!context.Response.HasStarted)
        {
            await ProblemResponses.WriteAsync(context, e);
        }
        catch (ToolgridException e) when (!context.Response.HasStarted)
        {
            if (e.Kind == ErrorKind.Unavailable)
            {
                LogUnavailable(e, context.Request.Method, context.Request.Path);
            }

            await ProblemResponses.WriteAsync(context, e);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && QueryValue.Describe(e) is { } problem)
        {
            await ProblemResponses.WriteAsync(context, e.StatusCode, "bad-request", "The request is not valid.", problem.Message, [problem]);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ProblemResponses.WriteAsync(context, e.StatusCode, "bad-request", "The request is not valid.", "the request could not be read; see docs/api.md for what each endpoint takes.", []);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnexpected(e, context.Request.Method, context.Request.Path, context.TraceIdentifier);
            context.Features.Get<IHttpResponseFeature>()?.Headers.Clear();
            await ProblemResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred.", $"The error was logged with trace id {context.TraceIdentifier}.", []);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Error, Message = "{Method} {Path} failed unexpectedly (trace {TraceId})")]
    private partial void LogUnexpected(Exception exception, string method, PathString path, string traceId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "{Method} {Path}: a system the platform needs failed")]
    private partial void LogUnavailable(Exception exception, string method, PathString path);
}
