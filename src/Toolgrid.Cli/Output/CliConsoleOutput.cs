using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Toolgrid.Cli.Output;

/// <summary>Standard output as Spectre sees it: a terminal or not as the environment says, lines without trailing spaces.</summary>
internal sealed class CliConsoleOutput : IAnsiConsoleOutput
{
    // Wide enough that a piped table is not folded at 80 columns.
    private const int PipeWidth = 240;

    private readonly CliEnvironment _environment;

    public CliConsoleOutput(CliEnvironment environment)
    {
        _environment = environment;
        Writer = new LineTrimmingWriter(environment.Out);
    }

    public TextWriter Writer { get; }

    public bool IsTerminal => _environment.OutIsTerminal;

    /// <summary>$COLUMNS when set (as ls and ps honour it), else the terminal's width, else wide.</summary>
    public int Width =>
        int.TryParse(_environment.Variable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0
            ? columns
            : IsTerminal ? _environment.TerminalWidth() : PipeWidth;

    public int Height => IsTerminal ? 24 : int.MaxValue;

    public void SetEncoding(Encoding encoding)
    {
        // The process's encoding stays as it is (UTF-8 on Linux).
    }
}
