using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Toolgrid.Core.Errors;

namespace Toolgrid.Accounts.Tests;

public sealed class ShadowProgramsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly ShadowPrograms _programs;

    public ShadowProgramsTests()
    {
        _programs = new ShadowPrograms(_time, Timeout, NullLogger.Instance);
    }

    [Fact]
    public async Task RunAsync_Success_ReturnsStdout()
    {
        var output = await _programs.RunAsync("/bin/echo", ["a b", "c"], CancellationToken.None);

        Assert.Equal("a b c\n", output);
    }

    [Fact]
    public async Task RunAsync_Failure_NamesTheProgramAndItsStderr()
    {
        var e = await Assert.ThrowsAsync<ToolgridException>(() => _programs.RunAsync("/bin/sh", ["-c", "echo 'no such user' >&2; exit 6"], CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.Equal("account-program-failed", e.ErrorCode);
        Assert.Contains("/bin/sh", e.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 6", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such user", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_Failure_IsAnAnswerNotAnError()
    {
        var outcome = await _programs.ExecuteAsync("/bin/sh", ["-c", "echo out; echo 'parse error' >&2; exit 1"], CancellationToken.None);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("out\n", outcome.Stdout);
        Assert.Equal("parse error\n", outcome.Stderr);
        Assert.StartsWith("/bin/sh -c", outcome.Command, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_SaysWhereAProgramIs_OrNull()
    {
        Assert.Equal("/usr/bin/env", ShadowPrograms.Find("env"));
        Assert.Null(ShadowPrograms.Find("tgacct-no-such-program"));
    }

    [Fact]
    public async Task RunAsync_ArgumentsAreNeverSeenByAShell()
    {
        var output = await _programs.RunAsync("/bin/echo", ["$(id)", "; rm -rf /", "*"], CancellationToken.None);

        Assert.Equal("$(id) ; rm -rf / *\n", output);
    }

    [Fact]
    public async Task RunAsync_PastTheTimeout_KillsTheProgram()
    {
        var run = _programs.RunAsync("/bin/sleep", ["600"], CancellationToken.None);

        _time.Advance(Timeout);
        var e = await Assert.ThrowsAsync<ToolgridException>(() => run.WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System));

        Assert.Equal("account-program-timeout", e.ErrorCode);
        Assert.Contains("sleep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_Stops()
    {
        using var cancel = new CancellationTokenSource();
        var run = _programs.RunAsync("/bin/sleep", ["600"], cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System));
    }

    [Fact]
    public async Task RunAsync_MissingProgram_SaysWhatToInstall()
    {
        var e = await Assert.ThrowsAsync<ToolgridException>(() => _programs.RunAsync("tgacct-no-such-program", [], CancellationToken.None));

        Assert.Equal("account-program-missing", e.ErrorCode);
    }
}
