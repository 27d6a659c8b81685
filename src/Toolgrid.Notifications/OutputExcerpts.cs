using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Notifications;

namespace Toolgrid.Notifications;

/// <summary>
/// The last lines of a job's output files (<c>&lt;job&gt;.out</c> and <c>&lt;job&gt;.err</c>, or where the
/// job sends them), each capped at <see cref="MailOptions.ExcerptLines"/> lines and
/// <see cref="MailOptions.ExcerptBytes"/> bytes, headed by the file's name, for a notice.
/// </summary>
/// <remarks>
/// Files are per job, not per run: read when a run ends, their end is that run's last output
/// (unless runs of the job overlap, under <c>--concurrency allow</c>). Never throws: a file that
/// cannot be read safely is named, with the reason, in place of its lines.
/// </remarks>
public sealed partial class OutputExcerpts(IOptions<MailOptions> options, ILogger<OutputExcerpts> logger) : IOutputExcerpts
{
    public string? Read(string home, Job job)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentNullException.ThrowIfNull(job);
        var lines = options.Value.ExcerptLines;
        var bytes = options.Value.ExcerptBytes;
        if (lines <= 0 || bytes <= 0)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var file in new[] { job.EffectiveStdoutPath, job.EffectiveStderrPath }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            LogTailResult tail;
            try
            {
                tail = LogTail.Read(home, file, lines, bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                tail = LogTailResult.Refused("it cannot be read: " + e.Message);
            }

            if (tail.Problem is { } problem)
            {
                LogNotShown(job.ToolName, job.Name, file, problem);
                parts.Add($"==> {file} <==\n({file} is not shown: {problem}.)");
            }
            else if (tail.Text is { } text)
            {
                parts.Add($"==> {file} <==\n{text}");
            }
        }

        return parts.Count == 0 ? null : string.Join('\n', parts);
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "The output file {File} of {Tool}/{Job} is not shown in its notice: {Problem}")]
    private partial void LogNotShown(string tool, string job, string file, string problem);
}
