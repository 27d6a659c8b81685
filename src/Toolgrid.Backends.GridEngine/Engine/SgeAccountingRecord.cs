using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>
/// One ended job, as a line of the cell's accounting file (<c>$SGE_ROOT/$SGE_CELL/common/accounting</c>,
/// accounting(5)) records it: colon-separated fields, times in epoch seconds as the node saw them.
/// </summary>
/// <param name="Queue">The cluster queue it ran in.</param>
/// <param name="Host">The host it ran on.</param>
/// <param name="Owner">The Unix user it ran as.</param>
/// <param name="JobName">Its name (<c>-N</c>).</param>
/// <param name="JobNumber">The engine's job id.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="StartedAt">When it started on the node; null when it never did.</param>
/// <param name="EndedAt">When it ended on the node; null when that is unknown (<c>failed</c> 19, 25).</param>
/// <param name="Failed">SGE's <c>failed</c> code: 0 none, 37 killed for a hard limit (<c>h_vmem</c>, <c>h_rt</c>), 100 ended by a signal, 19/25 lost with its node…</param>
/// <param name="ExitStatus">The job script's exit status; 128+N when signal N ended it.</param>
/// <param name="MaxVmemBytes">The largest virtual memory the execd sampled; 0 for a job shorter than a sample.</param>
/// <param name="WallclockSeconds">How long it ran (<c>ru_wallclock</c>), in whole seconds.</param>
/// <param name="RuntimeLimitSeconds">The run time limit it was submitted with (<c>-l h_rt=N</c> in its category); null for none.</param>
public sealed partial record SgeAccountingRecord(
    string Queue,
    string Host,
    string Owner,
    string JobName,
    long JobNumber,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int Failed,
    int ExitStatus,
    long MaxVmemBytes,
    long WallclockSeconds = 0,
    long? RuntimeLimitSeconds = null)
{
    /// <summary>SGE's <c>failed</c> code for a job the execd killed for going over a hard limit (<c>h_vmem</c>, <c>h_rt</c>, <c>h_cpu</c>).</summary>
    public const int FailedHardLimit = 37;

    /// <summary>SGE's <c>failed</c> code for a job that ended by a signal ("assumedly after job").</summary>
    public const int FailedBySignal = 100;

    // accounting(5) of 8.1.9 has 45 fields; maxvmem is the third from the end (then arid, ar_sub_time).
    private const int FieldCount = 45;

    // The category (field 40) is the job's requests as qsub options, e.g. "-U users -l h_rt=5,h_vmem=1G -q default".
    private const int CategoryField = 39;

    [GeneratedRegex(@"(?:^|\s)-l\s+(?:\S*,)?h_rt=(\d+)(?:,|\s|$)")]
    private static partial Regex HardRuntime();

    /// <summary>Reads one line; null for a comment or an empty line.</summary>
    public static SgeAccountingRecord? Parse(string line)
    {
        if (line.Length == 0 || line[0] == '#')
        {
            return null;
        }

        var fields = line.Split(':');
        if (fields.Length < FieldCount)
        {
            throw new SgeOutputException($"an accounting line has {fields.Length} fields, not {FieldCount}: '{Shorten(line)}'.");
        }

        return new SgeAccountingRecord(
            fields[0],
            fields[1],
            fields[3],
            fields[4],
            (long)Number(fields[5], "job_number", line),
            Epoch(fields[8], "submission_time", line) ?? DateTimeOffset.UnixEpoch,
            Epoch(fields[9], "start_time", line),
            Epoch(fields[10], "end_time", line),
            (int)Number(fields[11], "failed", line),
            (int)Number(fields[12], "exit_status", line),
            (long)Number(fields[^3], "maxvmem", line),
            (long)Number(fields[13], "ru_wallclock", line),
            RuntimeLimitOf(string.Join(':', fields[CategoryField..^5])));
    }

    private static long? RuntimeLimitOf(string category) =>
        HardRuntime().Match(category) is { Success: true } match
        && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;

    private static DateTimeOffset? Epoch(string value, string what, string line)
    {
        var seconds = (long)Number(value, what, line);
        return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static double Number(string value, string what, string line) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new SgeOutputException($"an accounting line has '{value}' as {what}, not a number: '{Shorten(line)}'.");

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..120] + "…";
}
