namespace Toolgrid.EndToEnd.Tests;

/// <summary><c>toolgrid jobs shell</c>, end to end: the CLI, the WebSocket, the controller, a shepherd, the tool's user.</summary>
[Collection(SharedPlatform.Name)]
public sealed class ShellTests(Platform platform)
{
    [RootFact]
    public async Task A_shell_without_a_terminal_reads_its_input_runs_as_the_tool_and_exits_with_the_runs_code()
    {
        await platform.MustAsync("alice", "tools", "create", "shell-pipes");

        // cat ends only when the end of the CLI's input has reached the run.
        var result = await ShellAsync("alice", "hello\nworld\n", "jobs", "shell", "--tool", "shell-pipes", "--", "read line; echo got $line; cat; id -un; pwd; exit 3");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal($"got hello\nworld\n{Platform.ToolPrefix}shell-pipes\n{platform.HomeOf("shell-pipes")}\n", result.Stdout.Replace("\r", "", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task A_shell_of_a_tool_the_caller_does_not_maintain_is_refused()
    {
        await platform.MustAsync("bob", "tools", "create", "shell-theirs");

        var result = await ShellAsync("alice", "", "jobs", "shell", "--tool", "shell-theirs", "--", "echo never");

        Assert.True(result.ExitCode == 77, result.ToString());
        Assert.Contains("not a maintainer", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The CLI as a person, with <paramref name="stdin"/> as its (non-terminal) standard input.</summary>
    private async Task<CommandResult> ShellAsync(string person, string stdin, params string[] arguments)
    {
        try
        {
            return await RunShellAsync(person, stdin, arguments);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- toolgridd ---\n{platform.Log}", e);
        }
    }

    private Task<CommandResult> RunShellAsync(string person, string stdin, params string[] arguments) =>
        Command.RunAsync(
            "setpriv",
            ["--reuid=" + Platform.Person(person), "--regid=" + Platform.Person(person), "--init-groups", "--reset-env", "--",
             "/usr/bin/env", $"TOOLGRID_API=unix:{platform.Socket}", "HOME=/", "NO_COLOR=1", "PATH=/usr/local/bin:/usr/bin:/bin", Platform.ToolgridCli, .. arguments],
            timeout: TimeSpan.FromSeconds(60),
            stdin: stdin);
}
