using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands;

/// <summary>One run of one command: what it was given, and what it needs (the API client, the console), made when first asked for.</summary>
internal sealed class CliInvocation : IDisposable
{
    private readonly GlobalOptions _globals;
    private ToolgridClient? _client;
    private IAnsiConsole? _console;

    public CliInvocation(CliEnvironment environment, GlobalOptions globals, ParseResult parse)
    {
        Environment = environment;
        _globals = globals;
        Parse = parse;
    }

    public CliEnvironment Environment { get; }

    public ParseResult Parse { get; }

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json => Parse.GetValue(_globals.Json);

    /// <summary>The client for the API, reached as <c>--api</c>, <c>TOOLGRID_API</c> or the default socket say.</summary>
    public ToolgridClient Client => _client ??= CreateClient();

    /// <summary>Standard output, for tables.</summary>
    public IAnsiConsole Console => _console ??= CliConsole.Create(Environment);

    public TimeText Times => new(Environment.Time);

    /// <summary>The tool named by <c>--tool</c> or <c>TOOLGRID_TOOL</c>, if any.</summary>
    public string? GivenTool => Parse.GetValue(_globals.Tool) is { Length: > 0 } tool ? tool : Environment.Variable("TOOLGRID_TOOL");

    /// <summary>
    /// How to name the tool again in a hint: <c> --tool NAME</c> when the user gave it that way,
    /// nothing when the CLI finds it again by itself.
    /// </summary>
    public string ToolFlag(string tool) => Parse.GetValue(_globals.Tool) is { Length: > 0 } ? " --tool " + tool : "";

    /// <summary>Adds a problem when the tool given by flag or variable is not a tool name.</summary>
    public void CheckGivenTool(Problems problems) => ToolChoice.Check(GivenTool, problems, "--tool");

    /// <summary>The tool to act for: <c>--tool</c>, <c>TOOLGRID_TOOL</c>, or the tool the caller is.</summary>
    public async Task<string> ResolveToolAsync(CancellationToken cancellationToken)
    {
        if (GivenTool is { } given)
        {
            var problems = new Problems();
            CheckGivenTool(problems);
            problems.ThrowIfAny();
            return given;
        }

        return ToolChoice.From(await Client.WhoAmIAsync(cancellationToken));
    }

    /// <summary>A line of the command's result, on standard output.</summary>
    public void Say(string line) => Environment.Out.WriteLine(line);

    /// <summary>A remark beside the result (progress, advice), on standard error.</summary>
    public void Note(string line) => Environment.Error.WriteLine(line);

    /// <summary>Prints <paramref name="value"/> as JSON (for <c>--json</c>).</summary>
    public void WriteJson<T>(T value, JsonTypeInfo<T> type)
    {
        Environment.Out.WriteLine(JsonSerializer.Serialize(value, type));
        Environment.Out.Flush();
    }

    public void Dispose() => _client?.Dispose();

    private ToolgridClient CreateClient() =>
        ApiConnection.Connect(Environment, Parse.GetValue(_globals.Api) is { Length: > 0 } api ? api : null);
}
