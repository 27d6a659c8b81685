using Toolgrid.Contracts.Validation;

namespace Toolgrid.Contracts.Logs;

/// <summary>
/// The rules of a log tail (<c>GET …/jobs/{job}/logs?stream=&amp;lines=&amp;follow=</c>): which files, and
/// how many of their last lines. The API checks them; the CLI checks them too, before it connects.
/// </summary>
public static class LogTail
{
    /// <summary>Lines of each file when none are asked for.</summary>
    public const int DefaultLines = 100;

    /// <summary>The most lines of each file one request gets; more are cut to this.</summary>
    public const int MaxLines = 10_000;

    /// <summary>Both files, the job's output and its errors.</summary>
    public const string All = "all";

    public const string Stdout = "stdout";

    public const string Stderr = "stderr";

    /// <summary>Adds a problem for a stream other than <see cref="All"/>, <see cref="Stdout"/> or <see cref="Stderr"/>, and for a negative number of lines.</summary>
    public static void Validate(string? stream, int? lines, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (stream is not (null or All or Stdout or Stderr))
        {
            problems.Add("stream", $"'{InputText.Shorten(stream)}' is not a stream: use {All}, {Stdout} or {Stderr}.");
        }

        if (lines is < 0)
        {
            problems.Add("lines", $"the number of lines cannot be negative; got {lines}.");
        }
    }

    /// <summary>How many lines to send of each file: the default when none are asked for, at most <see cref="MaxLines"/>.</summary>
    public static int LinesToSend(int? lines) => Math.Min(lines ?? DefaultLines, MaxLines);
}
