using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Backends.Slurm.Engine;

/// <summary>
/// One ended job as <c>jobcomp/filetxt</c> logs it: a line of <c>Key=Value</c> fields
/// (<c>JobId=5 UserId=u(62900) … Name=tg-5 JobState=OUT_OF_MEMORY … NodeList=node1 … ExitCode=0:125</c>),
/// times in the controller's local time without a zone.
/// </summary>
/// <remarks>
/// The file is not escaped: a job name with a newline in it starts a line of its own (checked:
/// <c>sbatch -J $'x\nJobId=99 JobState=COMPLETED'</c> wrote a line beginning <c>JobId=99</c>), and
/// any Slurm user can name a job. So a line is read only when every field appears once and it
/// ends with the exit code, and a reader takes a job's record only when it is the one line for
/// that job id (SlurmClient.FindJobCompAsync).
/// </remarks>
/// <param name="JobId">The engine's job id.</param>
/// <param name="User">The user it ran as.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="Name">Its name.</param>
/// <param name="State">Its final state (<c>COMPLETED</c>, <c>FAILED</c>, <c>CANCELLED</c>, <c>OUT_OF_MEMORY</c>, <c>NODE_FAIL</c>…).</param>
/// <param name="Partition">Its partition.</param>
/// <param name="Node">Its first node; null when it never had one.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="StartedAt">When it started; null when Slurm says Unknown.</param>
/// <param name="EndedAt">When it ended; null when Slurm says Unknown.</param>
/// <param name="ExitCode">The batch script's exit code (the part before <c>:</c>).</param>
/// <param name="Signal">The signal that ended it (after <c>:</c>); Slurm's own code for an out-of-memory kill (125) or a failed launch.</param>
public sealed partial record JobCompRecord(
    long JobId,
    string User,
    int Uid,
    string Name,
    string State,
    string Partition,
    string? Node,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int ExitCode,
    int Signal)
{
    [GeneratedRegex("^[A-Za-z]+=")]
    private static partial Regex FieldStart();

    [GeneratedRegex(@"^(?<name>.*)\((?<id>[0-9]+)\)$")]
    private static partial Regex NameAndId();

    [GeneratedRegex("^(?<exit>[0-9]+):(?<signal>[0-9]+)$")]
    private static partial Regex ExitPair();

    /// <summary>Reads one line; null when it is not a whole record (a piece of a job name with a newline, or cut short).</summary>
    /// <param name="line">The line, without its newline.</param>
    /// <param name="controllerZone">The time zone of slurmctld's host, in which it writes times.</param>
    public static JobCompRecord? Parse(string line, TimeZoneInfo controllerZone)
    {
        if (Fields(line.TrimEnd()) is not { } fields
            || !fields.TryGetValue("JobId", out var jobId)
            || !long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !fields.TryGetValue("UserId", out var userId) || NameAndId().Match(userId) is not { Success: true } user
            || !fields.TryGetValue("ExitCode", out var exitCode) || ExitPair().Match(exitCode) is not { Success: true } exit
            || !fields.TryGetValue("Name", out var name)
            || !fields.TryGetValue("JobState", out var state)
            || !fields.TryGetValue("NodeList", out var nodes)
            || !fields.TryGetValue("Partition", out var partition)
            || !Time(fields, "SubmitTime", controllerZone, out var submitted)
            || !Time(fields, "StartTime", controllerZone, out var started)
            || !Time(fields, "EndTime", controllerZone, out var ended)
            || !int.TryParse(user.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !int.TryParse(exit.Groups["exit"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var exitStatus)
            || !int.TryParse(exit.Groups["signal"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var signal))
        {
            return null;
        }

        return new JobCompRecord(
            id,
            user.Groups["name"].Value,
            uid,
            name,
            state,
            partition,
            nodes is "" or "(null)" or "None assigned" ? null : nodes,
            submitted,
            started,
            ended,
            exitStatus,
            signal);
    }

    // Fields are separated by spaces; a word that does not start with KEY= belongs to the value
    // before it (a name or directory with a space). A key twice means a value pretends to be fields.
    private static Dictionary<string, string>? Fields(string line)
    {
        if (!line.StartsWith("JobId=", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        foreach (var word in line.Split(' '))
        {
            if (FieldStart().IsMatch(word))
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                key = word[..equals];
                if (!fields.TryAdd(key, word[(equals + 1)..]))
                {
                    return null;
                }
            }
            else if (key is not null)
            {
                fields[key] += " " + word;
            }
        }

        return key == "ExitCode" ? fields : null;
    }

    private static bool Time(Dictionary<string, string> fields, string key, TimeZoneInfo zone, out DateTimeOffset? time)
    {
        time = null;
        if (!fields.TryGetValue(key, out var value))
        {
            return false;
        }

        if (value is "Unknown" or "None")
        {
            return true;
        }

        if (!DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        time = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }
}
