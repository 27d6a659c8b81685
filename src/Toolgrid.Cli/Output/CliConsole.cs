using Spectre.Console;

namespace Toolgrid.Cli.Output;

/// <summary>The Spectre console the tables are written to.</summary>
internal static class CliConsole
{
    /// <summary>
    /// Standard output as a console: colours only on a terminal and without NO_COLOR
    /// (https://no-color.org); no wrapping at 80 columns when piped.
    /// </summary>
    public static IAnsiConsole Create(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var colour = environment.OutIsTerminal && environment.Variable("NO_COLOR") is null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new CliConsoleOutput(environment),

            // The CI-detecting enrichers only cost start-up time here: the terminal decides.
            Enrichment = new ProfileEnrichment { UseDefaultEnrichers = false },
        });
        console.Profile.Capabilities.Unicode = environment.OutIsTerminal;
        return console;
    }
}
