using System.Globalization;
using System.Text;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Notifications;

/// <summary>
/// Gathers a tool's notices into one mail per window, and writes that mail: who gets it, its
/// subject, and a plain-text body that says, for each event, which job and run, what happened,
/// when, the last lines of output, and how to look further. Pure.
/// </summary>
/// <remarks>
/// A tool's mail is due once its oldest unmailed notice is <see cref="MailBatchSettings.Window"/>
/// old; it then takes every unmailed notice of the tool (up to
/// <see cref="MailBatchSettings.MaxNoticesPerMail"/>, oldest first), however recent. So a crash
/// loop of hundreds of runs in one window makes one mail, and a tool with steady trouble gets at
/// most one mail per window.
/// </remarks>
public sealed class MailBatcher(MailBatchSettings settings)
{
    /// <summary>The tag that starts every subject.</summary>
    public const string SubjectTag = "[Toolgrid]";

    private const int MaxSubjectLength = 200;

    public MailBatchSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>When a mail of <paramref name="unmailed"/> falls due: the oldest notice's time plus the window; null when there is none.</summary>
    public DateTimeOffset? DueAt(IEnumerable<Notice> unmailed)
    {
        ArgumentNullException.ThrowIfNull(unmailed);
        DateTimeOffset? oldest = null;
        foreach (var notice in unmailed)
        {
            if (oldest is null || notice.At < oldest)
            {
                oldest = notice.At;
            }
        }

        return oldest + Settings.Window;
    }

    /// <summary>Whether a mail of one tool's <paramref name="unmailed"/> notices is due at <paramref name="now"/>.</summary>
    public bool IsDue(IEnumerable<Notice> unmailed, DateTimeOffset now) => DueAt(unmailed) is { } due && due <= now;

    /// <summary>
    /// The mails due at <paramref name="now"/>: one per tool whose oldest unmailed notice is at least
    /// a window old, each with the notices it tells of.
    /// </summary>
    /// <param name="unmailed">Notices not yet in a mail (<see cref="Notice.MailId"/> null), of any tools.</param>
    /// <param name="tools">The tools, with their maintainers, by name; a tool that is not there gets a mail without recipients, kept as failed.</param>
    /// <param name="now">The time.</param>
    public IReadOnlyList<MailBatch> Decide(IEnumerable<Notice> unmailed, IReadOnlyDictionary<string, Tool> tools, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(unmailed);
        ArgumentNullException.ThrowIfNull(tools);
        var batches = new List<MailBatch>();
        foreach (var group in unmailed.Where(n => n.MailId is null).GroupBy(n => n.ToolName, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (IsDue(group, now))
            {
                batches.Add(Compose(group.Key, tools.GetValueOrDefault(group.Key), group.ToList(), now));
            }
        }

        return batches;
    }

    /// <summary>The mail that tells <paramref name="toolName"/>'s maintainers of <paramref name="notices"/>.</summary>
    public MailBatch Compose(string toolName, Tool? tool, IReadOnlyList<Notice> notices, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolName);
        ArgumentNullException.ThrowIfNull(notices);
        if (notices.Count == 0)
        {
            throw new ArgumentException("a mail tells of at least one notice", nameof(notices));
        }

        var told = notices.OrderBy(n => n.At).ThenBy(n => n.Id).Take(Settings.MaxNoticesPerMail).ToList();
        var recipients = tool is null ? [] : Recipients(tool);
        var mail = new Mail
        {
            ToolName = toolName,
            Recipients = string.Join(", ", recipients),
            Subject = Subject(toolName, told),
            Body = Body(toolName, told),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        if (recipients.Count == 0)
        {
            MailTransitions.NotSendable(mail, tool is null
                ? $"the tool {toolName} is not in the store: nobody to mail"
                : $"the tool {toolName} has no maintainer with an address (Toolgrid:Mail:AddressFormat is not set?) and no address of its own", now);
        }

        return new MailBatch(mail, told);
    }

    /// <summary>Who gets a tool's mail: every maintainer's address (from <see cref="MailBatchSettings.AddressFormat"/>), then the tool's own, each once.</summary>
    public IReadOnlyList<string> Recipients(Tool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var addresses = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string? address)
        {
            address = address?.Trim();
            if (!string.IsNullOrEmpty(address) && seen.Add(address))
            {
                addresses.Add(address);
            }
        }

        if (Settings.AddressFormat is { Length: > 0 } format)
        {
            foreach (var maintainer in tool.Maintainers.OrderBy(m => m.UserName, StringComparer.Ordinal))
            {
                Add(format.Replace("{user}", maintainer.UserName, StringComparison.Ordinal));
            }
        }

        Add(tool.Email);
        return addresses;
    }

    /// <summary>"[Toolgrid] mytool: fetch failed: exit code 1 after 12s", or "[Toolgrid] mytool: 3 job events (fetch failed, bot crash-looping)".</summary>
    public static string Subject(string toolName, IReadOnlyList<Notice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        string subject;
        if (notices.Count == 1)
        {
            subject = $"{SubjectTag} {toolName}: {notices[0].JobName} {notices[0].Summary}";
        }
        else
        {
            var jobs = ByJob(notices).Select(j => $"{j.Key} {Headline(j.Value)}").ToList();
            var listed = new StringBuilder();
            for (var i = 0; i < jobs.Count; i++)
            {
                var next = (i == 0 ? "" : ", ") + jobs[i];
                var rest = jobs.Count - i;
                if (listed.Length + next.Length > 100 && rest > 1)
                {
                    listed.Append(CultureInfo.InvariantCulture, $", and {rest} more jobs");
                    break;
                }

                listed.Append(next);
            }

            subject = string.Create(CultureInfo.InvariantCulture, $"{SubjectTag} {toolName}: {notices.Count} job events ({listed})");
        }

        return subject.Length <= MaxSubjectLength ? subject : subject[..(MaxSubjectLength - 1)] + "…";
    }

    private string Body(string toolName, List<Notice> notices)
    {
        var body = new StringBuilder();
        var first = notices[0].At;
        var last = notices[^1].At;
        var jobs = ByJob(notices);
        body.Append(CultureInfo.InvariantCulture, $"Toolgrid has {Count(notices.Count, "event")} to report about the jobs of the tool {toolName}");
        body.Append(first == last ? $", at {Utc(first)}.\n" : $", from {Utc(first)} to {Utc(last)}.\n");
        body.Append('\n');
        foreach (var (job, events) in jobs)
        {
            body.Append(CultureInfo.InvariantCulture, $"  {job}: {Tally(events)}\n");
        }

        foreach (var (job, events) in jobs)
        {
            body.Append('\n');
            var title = $"Job {job}: {Headline(events)}";
            body.Append(title).Append('\n').Append('=', title.Length).Append('\n');
            var detailed = events.TakeLast(Math.Max(1, Settings.DetailedPerJob)).ToList();
            var earlier = events.Take(events.Count - detailed.Count).ToList();
            if (earlier.Count > 0)
            {
                body.Append(CultureInfo.InvariantCulture, $"\n{Count(earlier.Count, "earlier event")}, from {Utc(earlier[0].At)} to {Utc(earlier[^1].At)}, not told one by one: {Tally(earlier)}.\n");
            }

            foreach (var notice in detailed)
            {
                AppendNotice(body, notice, withExcerpt: body.Length < Settings.MaxBodyLength);
            }

            body.Append("\nLook further:\n");
            body.Append(CultureInfo.InvariantCulture, $"    toolgrid jobs show {job} --tool {toolName}\n");
            body.Append(CultureInfo.InvariantCulture, $"    toolgrid jobs logs {job} --tool {toolName}\n");
        }

        body.Append("\n-- \n");
        body.Append(CultureInfo.InvariantCulture, $"Toolgrid mails the maintainers of {toolName} (and the tool's own address, when it has one)\n");
        body.Append("about the jobs whose --emails setting asks for it: onfailure (failures, skipped runs, crash\n");
        body.Append("loops), onfinish (every end), all (starts too). Set a job's --emails to none to stop them.\n");
        body.Append(CultureInfo.InvariantCulture, $"Events are gathered for {Contracts.Jobs.Duration.Format(Settings.Window)} after the first, then mailed together.\n");
        return body.ToString();
    }

    private void AppendNotice(StringBuilder body, Notice notice, bool withExcerpt)
    {
        body.Append('\n');
        body.Append(notice.Summary).Append('\n');
        if (notice.RunId is { } runId)
        {
            body.Append(CultureInfo.InvariantCulture, $"  Run:   {runId}\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"  When:  {When(notice.At)}\n");
        if (notice.Excerpt is not { Length: > 0 } excerpt)
        {
            return;
        }

        if (!withExcerpt)
        {
            body.Append("  Output: left out, this mail is long already; see toolgrid jobs logs.\n");
            return;
        }

        body.Append("  Last lines of output:\n");
        foreach (var line in CapExcerpt(excerpt))
        {
            body.Append("    ").Append(line).Append('\n');
        }
    }

    /// <summary>The last lines of an excerpt that fit the caps, made safe for a plain-text mail.</summary>
    private IEnumerable<string> CapExcerpt(string excerpt)
    {
        var text = excerpt.Length <= Settings.ExcerptMaxLength ? excerpt : excerpt[^Settings.ExcerptMaxLength..];
        var lines = text.TrimEnd('\n').Split('\n');
        if (text.Length < excerpt.Length && lines.Length > 1)
        {
            lines = lines[1..];
        }

        return lines.TakeLast(Settings.ExcerptMaxLines).Select(Printable);
    }

    /// <summary>Control characters (terminal escapes, carriage returns) would garble a mail; each becomes U+FFFD.</summary>
    private static string Printable(string line)
    {
        if (!line.Any(c => char.IsControl(c) && c != '\t'))
        {
            return line;
        }

        return string.Create(line.Length, line, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) && source[i] != '\t' ? '\uFFFD' : source[i];
            }
        });
    }

    private static List<KeyValuePair<string, List<Notice>>> ByJob(IEnumerable<Notice> notices)
    {
        var jobs = new List<KeyValuePair<string, List<Notice>>>();
        foreach (var notice in notices)
        {
            var index = jobs.FindIndex(j => string.Equals(j.Key, notice.JobName, StringComparison.Ordinal));
            if (index < 0)
            {
                jobs.Add(new(notice.JobName, [notice]));
            }
            else
            {
                jobs[index].Value.Add(notice);
            }
        }

        return jobs;
    }

    /// <summary>The headline that speaks for a job's events: its gravest.</summary>
    private static string Headline(IReadOnlyList<Notice> events) =>
        events.OrderByDescending(n => Gravity(n.Kind)).ThenByDescending(n => n.At).Select(n => NoticeRules.Headline(n.Summary)).First();

    private static int Gravity(NoticeKind kind) => kind switch
    {
        NoticeKind.CrashLoop => 4,
        NoticeKind.RunFailed => 3,
        NoticeKind.RunSkipped => 2,
        NoticeKind.RunSucceeded => 1,
        _ => 0,
    };

    /// <summary>"2 failed, 1 crash-looping".</summary>
    private static string Tally(IEnumerable<Notice> events) => string.Join(", ", events
        .GroupBy(n => NoticeRules.Headline(n.Summary), StringComparer.Ordinal)
        .OrderByDescending(g => g.Count())
        .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}")));

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    private string When(DateTimeOffset at)
    {
        var utc = Utc(at);
        if (Settings.TimeZone.Equals(TimeZoneInfo.Utc) || Settings.TimeZone.Id is "UTC" or "Etc/UTC")
        {
            return utc;
        }

        var local = TimeZoneInfo.ConvertTime(at, Settings.TimeZone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var zone = string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{offset.Duration():hh\\:mm}");
        return $"{utc} = {local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {Settings.TimeZone.Id} ({zone})";
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
