using System.Net;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Output;

/// <summary>How problems reach the user: one line each on standard error, <c>toolgrid: error: field: message</c>.</summary>
internal static class ErrorOutput
{
    public const string Prefix = "toolgrid: error: ";

    public const string WarningPrefix = "toolgrid: warning: ";

    /// <summary>The lines for problems with the input, fields named as the CLI's flags.</summary>
    public static IReadOnlyList<string> Lines(IEnumerable<Problem> problems) =>
        problems.Select(Line).ToArray();

    /// <summary>The lines for a refusal by the API: each problem with the input, or else what the API said.</summary>
    public static IReadOnlyList<string> Lines(ToolgridApiException refusal, ApiAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var lines = new List<string>();
        if (refusal.Errors.Count > 0)
        {
            lines.AddRange(refusal.Errors.Select(Line));
        }
        else
        {
            var problem = refusal.Problem;
            var text = problem.Detail ?? problem.Title ?? $"the API answered {(int)refusal.StatusCode}.";
            if (problem.TraceId is { } traceId)
            {
                text += $" (trace id {traceId})";
            }

            lines.Add(Prefix + text);
        }

        if (refusal.StatusCode == HttpStatusCode.Unauthorized && address is { IsUnixSocket: false })
        {
            lines.Add(Prefix + "over http(s) the API needs a valid token in TOOLGRID_TOKEN; make one with 'toolgrid tokens create' on the login host.");
        }

        return lines;
    }

    public static string Line(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return string.IsNullOrEmpty(problem.Field) || problem.Field == "input"
            ? Prefix + problem.MessageIn(CliFields.Of)
            : Prefix + CliFields.Of(problem.Field) + ": " + problem.MessageIn(CliFields.Of);
    }

    public static void Write(TextWriter error, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            error.WriteLine(line);
        }

        error.Flush();
    }
}
