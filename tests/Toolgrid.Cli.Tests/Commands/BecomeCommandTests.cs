using System.CommandLine;
using System.Globalization;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Commands;
using Toolgrid.Cli.Commands.Become;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Commands;

/// <summary>
/// <c>toolgrid become</c> against the API stand-in: who is refused and why, and what is exec'd
/// for the others. sudo is a recording stand-in here, so that nothing replaces the test's process.
/// </summary>
public sealed class BecomeCommandTests : IAsyncLifetime
{
    private const string Tool = "/api/v1/tools/mytool";
    private const string WhoAmI = "/api/v1/whoami";

    private readonly RecordingSudo _sudo = new();
    private ApiTestServer _server = null!;
    private int _uid = 1000;

    public async Task InitializeAsync() => _server = await ApiTestServer.StartUnixAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AMaintainer_BecomesTheToolsUser_ThroughSudo()
    {
        Script(Me("alice"), ToolView(maintainers: ["alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(["-niu", "tools.mytool"], _sudo.Exec);
        Assert.Equal(["tools.mytool"], _sudo.Asked);

        // The stand-in's exec "fails" with ENOENT: the CLI says so.
        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith("toolgrid: error: could not start /usr/bin/sudo: ", result.Error, StringComparison.Ordinal);
        Assert.Equal([WhoAmI, Tool], _server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task ACommand_GoesAfterDoubleDash_AsItWasTyped()
    {
        Script(Me("alice"), ToolView(maintainers: ["alice"]));

        await RunAsync("become", "mytool", "--", "ls", "-la", "a b", "$(id)", "line\nbreak");

        // Never through 'sudo -i', which would join the words into one line of its own escaping.
        Assert.Equal(["-n", "-u", "tools.mytool", "--", "/bin/sh", "-c", BecomeCommand.LoginScript, "become", BecomeCommand.RunArguments, "become", "ls", "-la", "a b", "$(id)", "line\nbreak"], _sudo.Exec);
    }

    [Fact]
    public async Task OneWordAfterDoubleDash_IsAShellLineForTheLoginShell()
    {
        Script(Me("alice"), ToolView(maintainers: ["alice"]));

        await RunAsync("become", "mytool", "--", "id; pwd");

        Assert.Equal(["-n", "-u", "tools.mytool", "--", "/bin/sh", "-c", BecomeCommand.LoginScript, "become", "id; pwd"], _sudo.Exec);
    }

    [Fact]
    public async Task TheToolItself_MayBecomeItself()
    {
        Script(Me("tools.mytool", tool: "mytool"), ToolView(maintainers: ["alice"]));

        await RunAsync("become", "mytool");

        Assert.Equal(["-niu", "tools.mytool"], _sudo.Exec);
    }

    [Fact]
    public async Task NotAMaintainer_IsRefused_NamingTheMaintainersAndHowToBeAdded()
    {
        Script(Me("bob"), ToolView(maintainers: ["carol", "alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.NoPermission, result.ExitCode);
        Assert.Equal(
            ["toolgrid: error: you (bob) are not a maintainer of 'mytool', so you cannot become it; its maintainers are alice, carol: any of them can add you with 'toolgrid maintainers add mytool bob'."],
            result.ErrorLines);
        Assert.Null(_sudo.Exec);
        Assert.Empty(_sudo.Asked);
    }

    [Fact]
    public async Task NotAMaintainer_ButAnAdmin_IsToldTheyCanAddThemselves()
    {
        Script(Me("bob", admin: true), ToolView(maintainers: ["alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.NoPermission, result.ExitCode);
        Assert.EndsWith("its maintainers are alice: they can add you with 'toolgrid maintainers add mytool bob', or, as an admin, you can add yourself.", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task ADeletedTool_IsRefused()
    {
        Script(Me("alice"), ToolView(maintainers: ["alice"], disabledAt: new DateTimeOffset(2025, 5, 29, 10, 0, 0, TimeSpan.Zero)));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal(
            ["toolgrid: error: tool 'mytool' was deleted on 2025-05-29: nothing runs as it any more, so it cannot be become (its files are kept in /data/project/mytool)."],
            result.ErrorLines);
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task SingleUserMode_HasNothingToBecome()
    {
        Script(Me("alice", mode: "single-user"), ToolView(maintainers: ["alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("every tool already runs as you; nothing to become", result.Error, StringComparison.Ordinal);
        Assert.Equal([WhoAmI], _server.Requests.Select(r => r.Path));
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task AnotherTool_CannotBecomeThisOne()
    {
        Script(Me("tools.other", tool: "other"), ToolView(maintainers: ["alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.NoPermission, result.ExitCode);
        Assert.Contains("you are acting as tool 'other', and a tool cannot become another tool", result.Error, StringComparison.Ordinal);
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task AnUnknownTool_SaysWhatTheApiSaid()
    {
        _server.AnswerJson("GET", WhoAmI, Me("alice"), CliJsonContext.Default.WhoAmIView);
        _server.AnswerProblem("GET", "/api/v1/tools/mytol", 404, "tool-not-found", "there is no tool named 'mytol'. Did you mean 'mytool'?");

        var result = await RunAsync("become", "mytol");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Equal(["toolgrid: error: there is no tool named 'mytol'. Did you mean 'mytool'?"], result.ErrorLines);
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task NotAToolName_IsRefusedBeforeAnythingIsSent()
    {
        var result = await RunAsync("become", "My Tool");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("toolgrid: error: tool: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Root_NeedsNoMaintainershipAndNoRuleOfOurs()
    {
        _uid = 0;
        Script(Me("root", admin: true), ToolView(maintainers: ["alice"]));

        await RunAsync("become", "mytool");

        Assert.Equal(["-niu", "tools.mytool"], _sudo.Exec);
        Assert.Empty(_sudo.Asked);
    }

    [Fact]
    public async Task WithoutSudo_SaysHowToInstallIt()
    {
        _sudo.Path = null;
        Script(Me("alice"), ToolView(maintainers: ["alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("sudo is not installed on this host", result.Error, StringComparison.Ordinal);
        Assert.Contains("apt-get install sudo", result.Error, StringComparison.Ordinal);
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task WhenSudosRulesSayNo_SaysWhatSudoSaid()
    {
        _sudo.Answer = new SudoAnswer(false, "sudo: a password is required");
        Script(Me("alice"), ToolView(maintainers: ["alice"]));

        var result = await RunAsync("become", "mytool");

        Assert.Equal(ExitCodes.NoPermission, result.ExitCode);
        Assert.StartsWith("toolgrid: error: sudo does not let you act as tools.mytool yet (sudo: a password is required).", result.Error, StringComparison.Ordinal);
        Assert.Null(_sudo.Exec);
    }

    [Fact]
    public async Task WithoutATool_IsAUsageError()
    {
        var result = await RunAsync("become");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(_server.Requests);
    }

    private static WhoAmIView Me(string user, string? tool = null, bool admin = false, string mode = "multi-user") =>
        new(user, tool, admin, "peer-credentials", [], mode);

    private static ToolView ToolView(string[] maintainers, DateTimeOffset? disabledAt = null) =>
        Sample.Tool() with
        {
            Maintainers = maintainers.Select(m => new MaintainerView(m, Sample.Now, m)).ToList(),
            Disabled = disabledAt is not null,
            DisabledAt = disabledAt,
        };

    private void Script(WhoAmIView me, ToolView tool)
    {
        _server.AnswerJson("GET", WhoAmI, me, CliJsonContext.Default.WhoAmIView);
        _server.AnswerJson("GET", Tool, tool, CliJsonContext.Default.ToolView);
    }

    /// <summary>Runs <c>toolgrid ARGS</c> in-process, as <see cref="Program.RunAsync"/> does, with the recording sudo in place of the real one.</summary>
    private async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            Variables = name => name == "TOOLGRID_API" ? _server.Address.ToString() : null,
            PathExists = _ => false,
            UserId = () => _uid,
        };
        var root = Program.BuildRootCommand(environment);
        root.Subcommands.OfType<BecomeCommand>().Single().Sudo = _sudo;
        var parse = root.Parse(args);
        var code = parse.Errors.Count > 0
            ? ExitCodes.Usage
            : await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A sudo that answers as told and records what it was asked to exec, instead of exec'ing it.</summary>
    private sealed class RecordingSudo : ISudo
    {
        public string? Path { get; set; } = "/usr/bin/sudo";

        public SudoAnswer Answer { get; set; } = new(true, "");

        public List<string> Asked { get; } = [];

        public IReadOnlyList<string>? Exec { get; private set; }

        public string? Find() => Path;

        public Task<SudoAnswer> CanRunAsAsync(string sudo, string unixUser, TimeProvider time, CancellationToken cancellationToken)
        {
            Asked.Add(unixUser);
            return Task.FromResult(Answer);
        }

        int ISudo.Exec(string sudo, IReadOnlyList<string> arguments)
        {
            Assert.Equal(Path, sudo);
            Exec = arguments.ToList();
            return 2;
        }
    }
}
