using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.Cli.Api;

/// <summary>An answer that is not a success becomes a <see cref="ToolgridApiException"/> carrying the API's problem details, or a description of what came instead.</summary>
internal static class ApiRefusal
{
    public static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await ReadProblemAsync(response, cancellationToken);
        throw new ToolgridApiException(response.StatusCode, problem);
    }

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var status = (int)response.StatusCode;
        if (mediaType is not null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync(CliJsonContext.Default.ApiProblem, cancellationToken);
                if (problem is not null)
                {
                    return problem with { Status = problem.Status ?? status };
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all (a proxy's error page); described below instead.
            }
        }

        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        return new ApiProblem
        {
            Status = status,
            Title = response.ReasonPhrase,
            Detail = text.Length is > 0 and <= 300 && mediaType is "text/plain"
                ? text
                : $"the API answered {status} {response.ReasonPhrase}".TrimEnd(),
        };
    }
}
