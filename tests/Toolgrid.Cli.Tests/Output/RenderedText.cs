using System.Globalization;
using Spectre.Console;
using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.Output;

/// <summary>Renders to plain text, as when standard output is not a terminal.</summary>
internal static class RenderedText
{
    public static string Of(Action<IAnsiConsole> write, bool terminal = false, string? noColor = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var environment = new CliEnvironment
        {
            Out = writer,
            Error = TextWriter.Null,
            OutIsTerminal = terminal,
            Variables = name => name == "NO_COLOR" ? noColor : null,
        };
        write(Cli.Output.CliConsole.Create(environment));
        return writer.ToString();
    }

    public static Cli.Output.TimeText Times()
    {
        var harness = new CliHarness();
        return new Cli.Output.TimeText(harness.Time);
    }
}
