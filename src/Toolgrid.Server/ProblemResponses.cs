using System.Text.Json;
using System.Text.Json.Nodes;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Errors;

namespace Toolgrid.Server;

/// <summary>Writes RFC 7807 problem details with a stable <c>type</c> and <c>errorCode</c>, and every validation problem at once.</summary>
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

    public static async Task WriteAsync(HttpContext context, int status, string errorCode, string title, string detail, IReadOnlyList<Problem> errors)
    {
        var body = new JsonObject
        {
            ["type"] = "urn:toolgrid:problem:" + errorCode,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["errorCode"] = errorCode,
            ["instance"] = context.Request.Path.Value,
        };
        if (errors.Count > 0)
        {
            body["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message }).ToArray());
        }

        if (status >= 500)
        {
            body["traceId"] = context.TraceIdentifier;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(body.ToJsonString(JsonOptions), context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

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
