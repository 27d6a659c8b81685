using System.Globalization;
using Spectre.Console;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Output;

/// <summary>The platform at a glance (<c>status</c>) and the caller as the API sees it (<c>whoami</c>).</summary>
internal static class StatusOutput
{
    /// <summary>Whether the platform runs every tool as one Unix user, without isolation between tools.</summary>
    public static bool IsSingleUser(string mode) =>
        mode.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .StartsWith("singleuser", StringComparison.OrdinalIgnoreCase);

    /// <summary>The mode in words; single-user mode says plainly that tools are not isolated.</summary>
    public static string Mode(string mode) =>
        IsSingleUser(mode) ? $"{mode}: every tool runs as one Unix user; there is NO isolation between tools" : mode;

    public static void WriteStatus(IAnsiConsole console, StatusView status, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(status);
        var properties = Tables.Properties();
        Tables.AddProperty(properties, "Toolgrid", status.Version);
        Tables.AddProperty(
            properties,
            "Mode",
            IsSingleUser(status.Mode) ? new Text(Mode(status.Mode), new Style(Color.Yellow, decoration: Decoration.Bold)) : new Text(status.Mode));
        if (!string.IsNullOrWhiteSpace(status.ModeDetail))
        {
            Tables.AddProperty(properties, "", status.ModeDetail);
        }

        Tables.AddProperty(properties, "Roles", string.Join(", ", status.Roles));
        Tables.AddProperty(properties, "Backend", status.Backend);
        Tables.AddProperty(properties, "Store", status.Store);
        Tables.AddProperty(properties, "Data root", status.DataRoot);
        Tables.AddProperty(properties, "Tools", status.Tools.ToString(CultureInfo.InvariantCulture));
        Tables.AddProperty(properties, "Jobs", status.Jobs.ToString(CultureInfo.InvariantCulture));
        Tables.AddProperty(
            properties,
            "Runs",
            status.Runs.Count == 0 ? "none" : string.Join(", ", status.Runs.Select(r => FormattableString.Invariant($"{r.Value} {r.Key}"))));
        if (status.Mail is { } mail)
        {
            AddMail(properties, mail, times);
        }

        console.Write(properties);
        console.WriteLine();

        if (status.Nodes.Count == 0)
        {
            console.WriteLine("No nodes.");
        }
        else
        {
            var nodes = Tables.New("NODE", "STATE", new Header("QUEUES", Wraps: true), "MEMORY", "CPU", "SLOTS", "RUNS", "LAST SEEN");
            foreach (var node in status.Nodes)
            {
                Tables.AddRow(
                    nodes,
                    new Text(node.Name),
                    new Text(node.State, node.State == "up" ? new Style(Color.Green) : node.State == "down" ? new Style(Color.Red) : new Style(Color.Yellow)),
                    new Text(string.Join(", ", node.Queues)),
                    new Text(Capacity(node.Memory, node.HostMemory, "", node.MemoryOvercommit)),
                    new Text(Capacity(node.Cpu, node.HostCpu, node.HostCpu == "1" ? " core" : " cores", node.CpuOvercommit)),
                    new Text(node.Slots.ToString(CultureInfo.InvariantCulture)),
                    new Text(node.Runs.ToString(CultureInfo.InvariantCulture)),
                    new Text(node.LastSeenAt is { } seen ? times.Relative(seen) : "never"));
            }

            console.Write(nodes);
            console.WriteLine("MEMORY and CPU are what runs' limits may add up to on a node: the host's own, times the overcommit the site allows.");
            foreach (var node in status.Nodes.Where(n => n.Drain is not null))
            {
                NodeOutput.WriteDrain(console, node.Name, node.Drain!, times);
            }
        }

        if (status.Queues is { Count: > 0 } queues)
        {
            console.WriteLine();
            QueueOutput.WriteList(console, queues);
        }

        foreach (var warning in status.Warnings)
        {
            console.Write(new Text("warning: " + warning, new Style(Color.Yellow)));
            console.WriteLine();
        }
    }

    /// <summary>A node's capacity and how it comes about: "47.1Gi = 23.5Gi × 2", "16 = 2 cores × 8"; the capacity alone where the host's figure is not known.</summary>
    public static string Capacity(string capacity, string? host, string unit, double? overcommit) =>
        host is null || overcommit is not { } factor
            ? capacity
            : string.Create(CultureInfo.InvariantCulture, $"{capacity} = {host}{unit} × {factor:0.##}");

    /// <summary>The mail outbox (admins only): how mail goes out, what waits or failed, and the last error.</summary>
    private static void AddMail(Grid properties, MailStatusView mail, TimeText times)
    {
        Tables.AddProperty(properties, "Mail", mail.Enabled ? new Text(mail.Detail) : new Text("off: " + mail.Detail, new Style(Color.Yellow)));
        var queue = FormattableString.Invariant($"{mail.Pending} queued ({mail.Retrying} being retried), {mail.Failed} failed, {mail.SentLastDay} sent in the last 24 h, {mail.WaitingNotices} notices gathering");
        if (mail.OldestPendingSince is { } oldest && mail.Pending > 0)
        {
            queue += ", oldest queued " + times.Relative(oldest);
        }

        Tables.AddProperty(properties, "Mail queue", queue);
        if (mail.RetryError is { } retryError)
        {
            Tables.AddProperty(properties, "Mail retrying", new Text(retryError, new Style(Color.Yellow)));
        }

        if (mail.LastError is { } lastError)
        {
            var when = mail.LastFailedAt is { } failedAt ? $" ({times.Relative(failedAt)})" : "";
            Tables.AddProperty(properties, "Mail failed", new Text(lastError + when, new Style(Color.Red)));
        }
    }

    public static void WriteWhoAmI(IAnsiConsole console, WhoAmIView me)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(me);
        var properties = Tables.Properties();
        Tables.AddProperty(properties, "User", me.User);
        if (me.Tool is not null)
        {
            Tables.AddProperty(properties, "Tool", $"{me.Tool} (acting as the tool itself)");
        }

        Tables.AddProperty(properties, "Admin", me.Admin ? "yes" : "no");
        Tables.AddProperty(properties, "Known by", me.Via);
        Tables.AddProperty(properties, "Maintains", me.Maintains.Count == 0 ? "no tools" : string.Join(", ", me.Maintains));
        Tables.AddProperty(properties, "Mode", Mode(me.Mode));
        console.Write(properties);
    }
}
