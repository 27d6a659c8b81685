using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Cli.Commands;

namespace Toolgrid.Cli.Tests.Support;

/// <summary>Runs the CLI in-process, as <c>toolgrid</c> would run, with captured streams, a fake clock and its own variables.</summary>
internal sealed class CliHarness
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public CliHarness()
    {
        Time.SetLocalTimeZone(TimeZoneInfo.Utc);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>What standard input holds.</summary>
    public string Input { get; set; } = "";

    /// <summary>Whether stdin, stdout and stderr are a terminal.</summary>
    public bool Terminal { get; set; }

    public HashSet<string> ExistingPaths { get; } = new(StringComparer.Ordinal);

    /// <summary>What the run under way has written to standard output so far (safe to read while it writes).</summary>
    public string OutSoFar => _out?.ToString() ?? "";

    private CapturedText? _out;

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args) => RunAsAsync("toolgrid", cancellationToken, args);

    /// <summary>Runs as the program called <paramref name="program"/> (argv[0]): a grid-era wrapper, or <c>toolgrid</c>.</summary>
    public Task<CliResult> RunAsAsync(string program, params string[] args) => RunAsAsync(program, CancellationToken.None, args);

    public async Task<CliResult> RunAsAsync(string program, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new CapturedText();
        _out = output;
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        using var input = new StringReader(Input);
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = input,
            OutIsTerminal = Terminal,
            ErrorIsTerminal = Terminal,
            InIsTerminal = Terminal,
            Time = Time,
            Variables = name => Variables.GetValueOrDefault(name),
            PathExists = ExistingPaths.Contains,
            UserId = () => 1000,
        };
        var code = await Program.RunAsAsync(program, args, environment, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
