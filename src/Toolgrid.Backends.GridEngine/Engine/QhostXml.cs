using System.Globalization;
using System.Xml.Linq;

namespace Toolgrid.Backends.GridEngine.Engine;

/// <summary>Reads what <c>qhost -F h_vmem -xml</c> prints: one <see cref="SgeHost"/> per execution host.</summary>
/// <remarks>
/// qhost lists a pseudo-host <c>global</c> first (every value <c>-</c>), which is left out. A host
/// whose execd is not heard from keeps its static values (<c>num_proc</c>, <c>mem_total</c>) and
/// shows <c>-</c> for its load and used memory. Sizes carry SGE's suffixes, powers of 1024.
/// </remarks>
public static class QhostXml
{
    public static IReadOnlyList<SgeHost> Parse(string xml)
    {
        var root = QstatXml.Load(xml, "qhost -xml");
        var hosts = new List<SgeHost>();
        foreach (var host in root.Elements("host"))
        {
            var name = (string?)host.Attribute("name");
            if (string.IsNullOrEmpty(name))
            {
                throw new SgeOutputException("qhost listed a <host> without a name.");
            }

            if (name == "global")
            {
                continue;
            }

            var processors = Value(host, "hostvalue", "num_proc");
            var load = Value(host, "hostvalue", "load_avg");
            hosts.Add(new SgeHost(
                name,
                processors is null ? null : (int)Math.Round(Number(processors, name)),
                Size(Value(host, "hostvalue", "mem_total"), name),
                Size(Value(host, "hostvalue", "mem_used"), name),
                load is null ? null : Number(load, name),
                Size(Value(host, "resourcevalue", "h_vmem"), name)));
        }

        return hosts;
    }

    /// <summary>A size as SGE prints it (<c>23.5G</c>, <c>570.9M</c>, <c>0.0</c>, <c>1024</c>) in bytes; null for <c>-</c>.</summary>
    public static long? Size(string? value, string host = "?")
    {
        if (value is null)
        {
            return null;
        }

        var multiplier = char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 1024d,
            'M' => 1024d * 1024,
            'G' => 1024d * 1024 * 1024,
            'T' => 1024d * 1024 * 1024 * 1024,
            _ => 1d,
        };
        var digits = multiplier == 1d ? value : value[..^1];
        return (long)Math.Round(Number(digits, host) * multiplier);
    }

    private static string? Value(XElement host, string element, string name)
    {
        var value = host.Elements(element).FirstOrDefault(e => (string?)e.Attribute("name") == name)?.Value.Trim();
        return string.IsNullOrEmpty(value) || value == "-" ? null : value;
    }

    private static double Number(string value, string host) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new SgeOutputException($"qhost gave '{value}' for host {host}, not a number.");
}
