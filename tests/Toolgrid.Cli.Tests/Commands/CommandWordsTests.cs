using System.Diagnostics;
using Toolgrid.Cli.Commands;

namespace Toolgrid.Cli.Tests.Commands;

/// <summary>The words after <c>--</c>, as the command line a run's <c>/bin/sh -c</c> reads: run here through the real sh.</summary>
public sealed class CommandWordsTests
{
    public static readonly TheoryData<string> Words = new()
    {
        "two words",
        "it's",
        "\"double\"",
        "$HOME and ${USER} and $(id) and `id`",
        "a; rm -rf nothing-here; b",
        "line one\nline two\n",
        "a && b || c | d > e < f & g",
        "*.txt ~ ~/x [ab] {a,b} #hash !bang",
        "back\\slash and tab\there",
        "",
        "-n",
        "NAME=value",
        "$PORTAL and $HOSTNAME stay literal",
    };

    [Theory]
    [MemberData(nameof(Words))]
    public async Task SeveralWords_ReachTheProgramExactlyAsTyped(string word)
    {
        var line = CommandWords.ToCommandLine(["/usr/bin/printf", "[%s]\\n", word, "second word"])!;

        var output = await ShAsync(line, port: null);

        Assert.Equal($"[{word}]\n[second word]\n", output);
    }

    [Fact]
    public async Task PortAndHost_InAWord_AreFilledInByTheRunsShell()
    {
        var line = CommandWords.ToCommandLine(["/usr/bin/printf", "[%s]\\n", "$PORT", "--bind=$HOST:${PORT}", "'$PORT'"])!;

        var output = await ShAsync(line, port: "8123");

        Assert.Equal("[8123]\n[--bind=127.0.0.1:8123]\n['8123']\n", output);
    }

    [Fact]
    public async Task OneWord_IsAShellLine()
    {
        var line = CommandWords.ToCommandLine(["printf 'a\\n' && printf 'b\\n'; echo \"$PORT\""])!;

        Assert.Equal("a\nb\n8123\n", await ShAsync(line, port: "8123"));
    }

    [Fact]
    public void NoWords_IsNoCommand() => Assert.Null(CommandWords.ToCommandLine([]));

    private static async Task<string> ShAsync(string commandLine, string? port)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        if (port is not null)
        {
            start.Environment["PORT"] = port;
            start.Environment["HOST"] = "127.0.0.1";
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"sh -c {commandLine} exited {process.ExitCode}");
        return output;
    }
}
