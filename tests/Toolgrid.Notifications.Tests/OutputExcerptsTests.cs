using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Jobs;
using Toolgrid.Notifications.Tests.Support;

namespace Toolgrid.Notifications.Tests;

public sealed class OutputExcerptsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("toolgrid-excerpt-tests-").FullName;

    public OutputExcerptsTests()
    {
        Home = Path.Combine(_root, "mytool");
        Directory.CreateDirectory(Home);
    }

    private string Home { get; }

    private static OutputExcerpts Excerpts(int lines = 20, int bytes = 4096) =>
        new(Options.Create(new MailOptions { ExcerptLines = lines, ExcerptBytes = bytes }), NullLogger<OutputExcerpts>.Instance);

    private static Job Job(Action<Job>? configure = null)
    {
        var job = Samples.Job(EmailPolicy.OnFailure);
        configure?.Invoke(job);
        return job;
    }

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(Home, relative), text);

    [Fact]
    public void Read_BothFiles_TheLastLinesOfEach_UnderTheirNames()
    {
        Write("fetch.out", string.Join('\n', Enumerable.Range(1, 50).Select(i => $"out {i}")) + "\n");
        Write("fetch.err", "Traceback (most recent call last):\nValueError: bad page\n");

        var excerpt = Excerpts(lines: 3).Read(Home, Job());

        Assert.Equal("==> fetch.out <==\nout 48\nout 49\nout 50\n==> fetch.err <==\nTraceback (most recent call last):\nValueError: bad page", excerpt);
    }

    [Fact]
    public void Read_NoOutputFiles_GivesNull() => Assert.Null(Excerpts().Read(Home, Job()));

    [Fact]
    public void Read_EmptyFiles_GiveNull()
    {
        Write("fetch.out", "");
        Write("fetch.err", "");

        Assert.Null(Excerpts().Read(Home, Job()));
    }

    [Fact]
    public void Read_MergedOutput_OneFileOnce()
    {
        Write("fetch.out", "both\n");

        Assert.Equal("==> fetch.out <==\nboth", Excerpts().Read(Home, Job(j => j.MergeOutput = true)));
    }

    [Fact]
    public void Read_NoFileLog_GivesNull()
    {
        Write("fetch.out", "both\n");

        Assert.Null(Excerpts().Read(Home, Job(j => j.FileLog = false)));
    }

    [Fact]
    public void Read_AHugeFile_ReadsOnlyTheCapFromItsEnd_WithoutACutFirstLine()
    {
        Write("fetch.out", string.Concat(Enumerable.Range(1, 100_000).Select(i => $"line {i:D6}\n")));

        var excerpt = Excerpts(lines: 1000, bytes: 100).Read(Home, Job());

        var lines = excerpt!.Split('\n');
        Assert.Equal("==> fetch.out <==", lines[0]);
        Assert.Equal("line 100000", lines[^1]);
        Assert.All(lines[1..], l => Assert.Matches("^line [0-9]{6}$", l));
        Assert.True(lines.Length - 1 <= 100 / 12, $"{lines.Length - 1} lines from 100 bytes");
    }

    [Fact]
    public void Read_ControlCharacters_AreMadeVisible()
    {
        Write("fetch.out", "\u001b[31mred\u001b[0m\r\nbell\u0007\n");

        Assert.Equal("==> fetch.out <==\n\uFFFD[31mred\uFFFD[0m\nbell\uFFFD", Excerpts().Read(Home, Job()));
    }

    [Fact]
    public void Read_ASymlinkOutOfTheHome_IsNotFollowed()
    {
        var secret = Path.Combine(_root, "secret");
        File.WriteAllText(secret, "root's secret\n");
        File.CreateSymbolicLink(Path.Combine(Home, "fetch.out"), secret);

        var excerpt = Excerpts().Read(Home, Job());

        Assert.DoesNotContain("secret\n", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("root's", excerpt, StringComparison.Ordinal);
        Assert.Contains("fetch.out is not shown: it leads outside the tool's home", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ADirectorySymlinkOutOfTheHome_IsNotFollowed()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "fetch.out"), "root's secret\n");
        Directory.CreateSymbolicLink(Path.Combine(Home, "logs"), outside);

        var excerpt = Excerpts().Read(Home, Job(j => j.StdoutPath = "logs/fetch.out"));

        Assert.DoesNotContain("root's", excerpt, StringComparison.Ordinal);
        Assert.Contains("leads outside the tool's home", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AnAbsolutePathOutsideTheHome_IsNotRead()
    {
        var secret = Path.Combine(_root, "secret");
        File.WriteAllText(secret, "root's secret\n");

        var excerpt = Excerpts().Read(Home, Job(j => j.StdoutPath = secret));

        Assert.DoesNotContain("root's", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ASymlinkInsideTheHome_IsFollowed()
    {
        Directory.CreateDirectory(Path.Combine(Home, "logs"));
        File.WriteAllText(Path.Combine(Home, "logs", "real.out"), "inside\n");
        File.CreateSymbolicLink(Path.Combine(Home, "fetch.out"), Path.Combine(Home, "logs", "real.out"));

        Assert.Equal("==> fetch.out <==\ninside", Excerpts().Read(Home, Job()));
    }

    [Fact]
    public async Task Read_AFifo_DoesNotBlock_AndIsNotShown()
    {
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(Home, "fetch.out")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Only catches a hang: a FIFO without a writer would block a plain open forever.
        var read = Task.Run(() => Excerpts().Read(Home, Job()));
        var excerpt = await read.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.Contains("fetch.out is not shown: it is not a regular file", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ADirectory_IsNotShown()
    {
        Directory.CreateDirectory(Path.Combine(Home, "fetch.out"));

        Assert.Contains("fetch.out is not shown", Excerpts().Read(Home, Job()), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
