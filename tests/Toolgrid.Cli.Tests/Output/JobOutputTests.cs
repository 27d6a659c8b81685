using Toolgrid.Cli.Output;
using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.Output;

public sealed class JobOutputTests
{
    [Fact]
    public void WriteDetail_ShowsEachRunWithWhatAUserNeeds()
    {
        var job = Sample.Job(
            finished: true,
            status: "failed",
            runs:
            [
                Sample.Run("failed", "out-of-memory", "went over its memory limit of 64Mi and was killed", signal: 9, id: 12, attempt: 2, node: "node2"),
                Sample.Run("failed", "exited", "exit code 3", exitCode: 3, id: 11, node: "node1"),
            ]);

        var text = RenderedText.Of(console => JobOutput.WriteDetail(console, job, RenderedText.Times()));

        Assert.Contains("fetch (tool mytool)", text, StringComparison.Ordinal);
        Assert.Contains("./fetch.sh --all", text, StringComparison.Ordinal);
        Assert.Contains("512Mi memory, 0.5 CPU", text, StringComparison.Ordinal);
        Assert.Contains("fetch.out", text, StringComparison.Ordinal);
        Assert.Contains("failed (out-of-memory): went over its memory limit of 64Mi and was killed", text, StringComparison.Ordinal);
        Assert.Contains("SIGKILL (9)", text, StringComparison.Ordinal);
        Assert.Contains("failed (exited): exit code 3", text, StringComparison.Ordinal);
        Assert.Contains("attempt 2", text, StringComparison.Ordinal);
        Assert.Contains("node2", text, StringComparison.Ordinal);
        Assert.Contains("node1", text, StringComparison.Ordinal);

        // Submitted 11:55, started 11:56, finished 11:58 on the harness's clock (12:00 UTC).
        Assert.Contains("submitted 11:55:00 (5 min ago)", text, StringComparison.Ordinal);
        Assert.Contains("started 11:56:00", text, StringComparison.Ordinal);
        Assert.Contains("ended 11:58:00 after 2 min", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("run 12", StringComparison.Ordinal) < text.IndexOf("run 11", StringComparison.Ordinal), "newest run first");
    }

    [Fact]
    public void WriteDetail_AJobWithoutRuns_SaysSo()
    {
        var text = RenderedText.Of(console => JobOutput.WriteDetail(console, Sample.Job() with { Runs = [] }, RenderedText.Times()));

        Assert.Contains("No runs yet.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteDetail_DiscardedOutput_SaysSo()
    {
        var job = Sample.Job() with { FilelogStdout = null, FilelogStderr = null };

        var text = RenderedText.Of(console => JobOutput.WriteDetail(console, job, RenderedText.Times()));

        Assert.Contains("discarded (--no-filelog)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteList_ShowsNameKindStatusAndLastRun()
    {
        var jobs = new[]
        {
            Sample.Finished("succeeded", "exited", "exit code 0", 0, name: "fetch"),
            Sample.Job("bot", status: "running", runs: Sample.Run("running", "started", node: "node1")),
        };

        var text = RenderedText.Of(console => JobOutput.WriteList(console, "mytool", jobs, RenderedText.Times()));
        var lines = text.Split('\n');

        var fetch = Assert.Single(lines, l => l.Contains("fetch ", StringComparison.Ordinal) && l.Contains("one-off", StringComparison.Ordinal));
        Assert.Contains("succeeded 2 min ago", fetch, StringComparison.Ordinal);
        var bot = Assert.Single(lines, l => l.Contains("bot ", StringComparison.Ordinal));
        Assert.Contains("running", bot, StringComparison.Ordinal);
        Assert.Contains("running for 4 min", bot, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteList_ARunHeldForItsDueTime_SaysWhenItStarts()
    {
        var held = Sample.Run("starting", "placed", node: "node1") with { DueAt = Sample.Now.AddSeconds(23) };
        var jobs = new[] { Sample.Job("tick", status: "next run soon", runs: held) };

        var text = RenderedText.Of(console => JobOutput.WriteList(console, "mytool", jobs, RenderedText.Times()));

        Assert.Contains("set up, starts in 23 s", Assert.Single(text.Split('\n'), l => l.Contains("tick ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteList_NoJobs_SaysHowToStartOne()
    {
        var text = RenderedText.Of(console => JobOutput.WriteList(console, "mytool", [], RenderedText.Times()));

        Assert.Contains("toolgrid jobs run NAME --command CMD", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_OffATerminal_HasNoEscapeCodes()
    {
        var job = Sample.Finished("failed", "exited", "exit code 1", 1);

        var piped = RenderedText.Of(console => JobOutput.WriteDetail(console, job, RenderedText.Times()));
        var noColor = RenderedText.Of(console => JobOutput.WriteDetail(console, job, RenderedText.Times()), terminal: true, noColor: "1");

        Assert.DoesNotContain('\u001b', piped);
        Assert.DoesNotContain('\u001b', noColor);
    }

    [Fact]
    public void Rendering_LeavesNoSpacesAtTheEndsOfLines()
    {
        var text = RenderedText.Of(console => JobOutput.WriteList(console, "mytool", [Sample.Job("a"), Sample.Job("a-much-longer-name")], RenderedText.Times()));

        Assert.All(text.Split('\n'), line => Assert.False(line.EndsWith(' '), $"'{line}'"));
    }

    [Fact]
    public void MarkupInValues_IsPrintedAsIs()
    {
        var job = Sample.Job() with { Command = "echo [red]hi[/] && exit 1" };

        var text = RenderedText.Of(console => JobOutput.WriteDetail(console, job, RenderedText.Times()));

        Assert.Contains("echo [red]hi[/] && exit 1", text, StringComparison.Ordinal);
    }
}
