using System.Globalization;

namespace Toolgrid.Cli;

/// <summary>What the CLI takes from the process it runs in: its streams, terminal, variables and clock. Tests give their own.</summary>
internal sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public TextReader In { get; init; } = TextReader.Null;

    public bool OutIsTerminal { get; init; }

    public bool ErrorIsTerminal { get; init; }

    public bool InIsTerminal { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads an environment variable; null when unset or empty.</summary>
    public Func<string, string?> Variables { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether a path exists (the API's default socket locations are probed with this).</summary>
    public Func<string, bool> PathExists { get; init; } = File.Exists;

    /// <summary>The caller's effective uid, for <c>/tmp/toolgrid-&lt;uid&gt;/api.sock</c>.</summary>
    public Func<int> UserId { get; init; } = EffectiveUserId;

    /// <summary>The directory the CLI was started in: relative paths (files to load, grid-era -o, -cwd) are read from it.</summary>
    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The terminal's width in columns, when standard output is one.</summary>
    public Func<int> TerminalWidth { get; init; } = () => 80;

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        InIsTerminal = !Console.IsInputRedirected,
        TerminalWidth = () => Console.WindowWidth is > 0 and var width ? width : 80,
    };

    /// <summary>The value of <paramref name="name"/>, or null when it is unset or blank.</summary>
    public string? Variable(string name) => Variables(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    // /proc/self/status spares a native call; the line is "Uid: real effective saved fs".
    private static int EffectiveUserId()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line["Uid:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                {
                    return uid;
                }
            }
        }

        return -1;
    }
}
