using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;

namespace Toolgrid.Server;

/// <summary>RFC 7807 problem details with a stable <c>type</c> and <c>errorCode</c>, and every validation problem at once, written through ASP.NET's problem details service.</summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden or ErrorKind.QuotaExceeded => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpContext context, ToolgridException exception) =>
        WriteAsync(context, StatusOf(exception.Kind), exception.ErrorCode, Title(exception.Kind), exception.Message, []);

    public static Task WriteAsync(HttpContext context, ValidationException exception)
    {
        var count = exception.Problems.Count;
        var detail = count == 1 ? exception.Problems[0].ToString() : $"{count} problems: " + string.Join("; ", exception.Problems);
        return WriteAsync(context, StatusCodes.Status400BadRequest, "validation", "The request is not valid.", detail, exception.Problems);
    }

    /// <summary>
    /// Writes the problem through ASP.NET's problem details (<c>AddProblemDetails</c>, whose
    /// <see cref="Customize"/> keeps the body as clients read it): <c>type</c>
    /// <c>urn:toolgrid:problem:CODE</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
    /// <c>instance</c>, the <c>errorCode</c>, the field-coded <c>errors</c> when there are any, and
    /// the <c>traceId</c> on a 5xx only.
    /// </summary>
    public static Task WriteAsync(HttpContext context, int status, string errorCode, string title, string detail, IReadOnlyList<Problem> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = new ProblemDetails
        {
            Type = "urn:toolgrid:problem:" + errorCode,
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path.Value,
        };
        problem.Extensions["errorCode"] = errorCode;
        if (errors.Count > 0)
        {
            problem.Extensions["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message }).ToArray());
        }

        if (status >= 500)
        {
            problem.Extensions[TraceId] = context.TraceIdentifier;
        }

        context.Response.StatusCode = status;
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>
    /// For <c>AddProblemDetails</c>: ASP.NET adds a <c>traceId</c> to every problem; ours carry
    /// one on a 5xx only (the one the log names), as before the problems went through it.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProblemDetails.Status is < 500)
        {
            context.ProblemDetails.Extensions.Remove(TraceId);
        }
        else
        {
            context.ProblemDetails.Extensions[TraceId] = context.HttpContext.TraceIdentifier;
        }
    }

    private const string TraceId = "traceId";

    private static string Title(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => "The request is not valid.",
        ErrorKind.Unauthenticated => "Who is calling could not be established.",
        ErrorKind.Forbidden => "This is not allowed.",
        ErrorKind.QuotaExceeded => "A quota would be exceeded.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "This conflicts with the current state.",
        ErrorKind.Unavailable => "A system the platform needs is unavailable.",
        _ => "An error occurred.",
    };
}
