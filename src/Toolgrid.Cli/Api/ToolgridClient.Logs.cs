using System.Net.Http.Headers;
using System.Text;

namespace Toolgrid.Cli.Api;

// The API, continued: a job's logs, as text or as they come.
public sealed partial class ToolgridClient
{
    /// <summary>The tail of the job's log files, as text. <see cref="LogQuery.Follow"/> is ignored: use <see cref="CopyLogsAsync"/> to follow.</summary>
    public async Task<string> GetLogsAsync(string tool, string job, LogQuery query, CancellationToken cancellationToken = default)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await CopyLogsAsync(tool, job, query with { Follow = false }, writer, cancellationToken);
        return writer.ToString();
    }

    /// <summary>
    /// Copies the job's logs to <paramref name="destination"/> as they come, flushing after each
    /// piece. With <see cref="LogQuery.Follow"/> it returns only when the API ends the stream or
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task CopyLogsAsync(string tool, string job, LogQuery query, TextWriter destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, LogsPath(tool, job, query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));

        // A followed stream has no end; only the wait for its first byte is bounded.
        using var response = await _transport.SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, RequestTimeout, cancellationToken);
        await ApiRefusal.ThrowIfRefusedAsync(response, cancellationToken);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await destination.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(Address, $"the connection to the API at {Address} was lost while reading the logs.", e);
        }
    }

    internal static string LogsPath(string tool, string job, LogQuery query)
    {
        var parameters = new List<string>();
        if (query.Stream is not null)
        {
            parameters.Add("stream=" + Uri.EscapeDataString(query.Stream));
        }

        if (query.Lines is { } lines)
        {
            parameters.Add(FormattableString.Invariant($"lines={lines}"));
        }

        if (query.Follow)
        {
            parameters.Add("follow=true");
        }

        var path = JobPath(tool, job) + "/logs";
        return parameters.Count == 0 ? path : path + "?" + string.Join('&', parameters);
    }
}
