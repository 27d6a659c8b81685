using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>Reads what <c>qstat -xml -u '*'</c> and <c>qstat -f -xml -u '*'</c> print.</summary>
/// <remarks>
/// qstat prints times as the qmaster's local time without a zone (<c>2026-12-05T00:41:34</c>), so
/// the caller says which zone the qmaster is in. Both forms list pending jobs under the document's
/// inner <c>job_info</c>; running jobs are under <c>queue_info</c>, each with its <c>queue_name</c>
/// (plain form) or inside its <c>Queue-List</c> (<c>-f</c>).
/// </remarks>
public static class QstatXml
{
    /// <summary>Every job listed, running or pending, in either form.</summary>
    public static IReadOnlyList<SgeJob> ParseJobs(string xml, TimeZoneInfo qmasterZone)
    {
        var root = Load(xml, "qstat -xml");
        var jobs = new List<SgeJob>();
        foreach (var element in root.Descendants("job_list"))
        {
            var queueInstance = Text(element, "queue_name") ?? Text(element.Parent, "name");
            jobs.Add(ParseJob(element, queueInstance, qmasterZone));
        }

        return jobs;
    }

    /// <summary>Every queue instance listed by <c>qstat -f -xml</c>, with why it is in error where <c>-explain E</c> was given.</summary>
    public static IReadOnlyList<SgeQueueInstance> ParseQueueInstances(string xml)
    {
        var root = Load(xml, "qstat -f -xml");
        return root.Descendants("Queue-List").Select(ParseQueueInstance).ToList();
    }

    private static SgeJob ParseJob(XElement element, string? queueInstance, TimeZoneInfo zone)
    {
        var pending = (string?)element.Attribute("state") == "pending";
        var number = Required(element, "JB_job_number");
        string? queue = null, node = null;
        if (!pending && !string.IsNullOrEmpty(queueInstance))
        {
            (queue, node) = SplitQueueInstance(queueInstance);
        }

        return new SgeJob(
            Long(number, "JB_job_number"),
            Text(element, "JB_name") ?? string.Empty,
            Required(element, "JB_owner"),
            Text(element, "state") ?? string.Empty,
            pending,
            queue,
            node,
            Time(Text(element, "JAT_start_time"), zone),
            Time(Text(element, "JB_submission_time"), zone),
            (int)Long(Text(element, "slots") ?? "1", "slots"));
    }

    private static SgeQueueInstance ParseQueueInstance(XElement element)
    {
        var (queue, host) = SplitQueueInstance(Required(element, "name"));
        var load = Text(element, "load_avg");
        return new SgeQueueInstance(
            queue,
            host,
            (int)Long(Required(element, "slots_used"), "slots_used"),
            (int)Long(Required(element, "slots_total"), "slots_total"),
            Text(element, "state") ?? string.Empty,
            load is null ? null : double.Parse(load, NumberStyles.Float, CultureInfo.InvariantCulture),
            element.Elements("message").Select(m => m.Value).ToList());
    }

    internal static XElement Load(string xml, string command)
    {
        try
        {
            return XDocument.Parse(xml).Root ?? throw new SgeOutputException($"'{command}' printed an XML document without a root element.");
        }
        catch (XmlException e)
        {
            throw new SgeOutputException($"'{command}' printed something that is not XML: {e.Message}", e);
        }
    }

    private static (string Queue, string Host) SplitQueueInstance(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == value.Length - 1)
        {
            throw new SgeOutputException($"qstat named a queue instance '{value}', not QUEUE@HOST.");
        }

        return (value[..at], value[(at + 1)..]);
    }

    private static string? Text(XElement? parent, string name)
    {
        var value = parent?.Element(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string Required(XElement parent, string name) =>
        Text(parent, name) ?? throw new SgeOutputException($"qstat listed a {parent.Name} without <{name}>.");

    private static long Long(string value, string what) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new SgeOutputException($"qstat gave '{value}' as <{what}>, not a number.");

    private static DateTimeOffset? Time(string? value, TimeZoneInfo zone)
    {
        if (value is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new SgeOutputException($"qstat gave '{value}' as a time, not YYYY-MM-DDTHH:MM:SS.");
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
