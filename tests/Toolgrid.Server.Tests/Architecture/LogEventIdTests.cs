using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Server.Tests.Architecture;

/// <summary>Each log message of the product has an event id of its own, so that an id found in a log names one message.</summary>
public sealed class LogEventIdTests
{
    private static readonly string[] Assemblies =
    [
        "Toolgrid.Core", "Toolgrid.Store", "Toolgrid.Controller", "Toolgrid.Backends.Local", "Toolgrid.Backends.GridEngine", "Toolgrid.Backends.Slurm",
        "Toolgrid.Accounts", "Toolgrid.Notifications", "Toolgrid.Proxy", "toolgridd",
    ];

    [Fact]
    public void NoTwoLogMessagesShareAnEventId()
    {
        var messages = Assemblies
            .Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        var shared = messages
            .Where(m => m.Attribute!.EventId >= 0)
            .GroupBy(m => m.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Method.DeclaringType!.FullName}.{m.Method.Name}"))}")
            .ToList();

        var missing = messages
            .Where(m => m.Attribute!.EventId < 0)
            .Select(m => $"{m.Method.DeclaringType!.FullName}.{m.Method.Name}")
            .ToList();

        Assert.NotEmpty(messages);
        Assert.True(missing.Count == 0, "log messages without an event id:\n" + string.Join("\n", missing));
        Assert.True(shared.Count == 0, "event ids used twice:\n" + string.Join("\n", shared));
    }
}
