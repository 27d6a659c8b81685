using System.Diagnostics;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Commands;

/// <summary>
/// The real <c>toolgrid become</c> binary, as root, against the API stand-in: it must turn into
/// sudo (same process), pass the command through untouched, and leave the command's signals as
/// a shell would. The stand-in names root as the tool's user, so no user is made.
/// </summary>
public sealed class BecomeExecTests : IAsyncLifetime
{
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartUnixAsync();
        _server.AnswerJson("GET", "/api/v1/whoami", new WhoAmIView("root", null, true, "peer-credentials", [], "multi-user"), CliJsonContext.Default.WhoAmIView);
        _server.AnswerJson("GET", "/api/v1/tools/mytool", Sample.Tool() with { UnixUser = "root" }, CliJsonContext.Default.ToolView);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [RootSudoFact]
    public async Task Become_ReplacesItselfWithSudo_AndTheCommandGetsItsArgumentsAndSignalsAsTyped()
    {
        // The command prints its arguments, whether SIGPIPE is ignored (bit 13 of SigIgn), and
        // its ancestors: the CLI's own process must be among them, as sudo. It is a file:
        // 'sudo -i' hands a command to the login shell as one line, where '$p' would be
        // expanded before sh saw it.
        var script = Path.Combine(_server.RuntimeDirectory!, "show.sh");
        await File.WriteAllTextAsync(script, """
            printf '[%s]' "$@"; echo
            grep '^SigIgn:' /proc/self/status
            p=$$
            while [ "$p" -gt 1 ]; do echo "$p $(cat /proc/$p/comm)"; p=$(cut -d' ' -f4 /proc/$p/stat); done
            exit 7
            """);

        var (process, stdout, stderr) = await RunCliAsync("become", "mytool", "--", "/bin/sh", script, "a b", "$(id)", "*", "'");

        Assert.True(process.ExitCode == 7, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[a b][$(id)][*][']", lines[0]);
        var ignored = Convert.ToUInt64(lines[1]["SigIgn:".Length..].Trim(), 16);
        Assert.True((ignored & (1UL << 12)) == 0, $"SIGPIPE is ignored by the command: {lines[1]}");
        Assert.Contains($"{process.Id} sudo", lines, StringComparer.Ordinal);
    }

    [RootSudoFact]
    public async Task Become_AMultiLineScript_AndWordsWithSpacesQuotesDollarsAndNewlines_ReachTheCommandAsTyped()
    {
        const string Script = "printf '[%s]' \"$@\"\necho\necho 'second line'";

        var (process, stdout, stderr) = await RunCliAsync("become", "mytool", "--", "sh", "-c", Script, "sh", "a b", "$(id)", "it's", "x;\ny", "$HOME");

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Equal("[a b][$(id)][it's][x;\ny][$HOME]\nsecond line\n", stdout);
    }

    [RootSudoFact]
    public async Task Become_OneWord_IsAShellLineRunByTheLoginShellInTheHome()
    {
        var (process, stdout, stderr) = await RunCliAsync("become", "mytool", "--", "pwd; echo \"two words\"");

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Equal("/root\ntwo words\n", stdout);
    }

    private async Task<(Process Process, string Stdout, string Stderr)> RunCliAsync(params string[] arguments)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "toolgrid");
        var start = File.Exists(cli)
            ? new ProcessStartInfo(cli)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "toolgrid.dll") } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["TOOLGRID_API"] = _server.Address.ToString();
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process, await stdout, await stderr);
    }
}
