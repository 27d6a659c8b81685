using System.Net;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Api;

/// <summary>The API refused a request; carries its problem details.</summary>
public sealed class ToolgridApiException : Exception
{
    public ToolgridApiException(HttpStatusCode statusCode, ApiProblem problem)
        : base(Describe(statusCode, problem))
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    public ToolgridApiException()
        : this(HttpStatusCode.InternalServerError, new ApiProblem())
    {
    }

    public ToolgridApiException(string message)
        : this(message, null)
    {
    }

    public ToolgridApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        Problem = new ApiProblem { Detail = message, Status = (int)StatusCode };
    }

    public HttpStatusCode StatusCode { get; }

    public ApiProblem Problem { get; }

    /// <summary>The API's <c>errorCode</c>, or <c>http-&lt;status&gt;</c> when the answer carried none.</summary>
    public string ErrorCode => Problem.ErrorCode ?? "http-" + ((int)StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Each problem with the input; empty when the refusal is not about a field.</summary>
    public IReadOnlyList<Problem> Errors => Problem.Errors ?? [];

    private static string Describe(HttpStatusCode statusCode, ApiProblem problem)
    {
        var text = problem.Detail ?? problem.Title ?? $"the API answered {(int)statusCode} {statusCode}";
        return problem.Errors is { Count: > 0 } errors ? text + " (" + string.Join("; ", errors) + ")" : text;
    }
}
