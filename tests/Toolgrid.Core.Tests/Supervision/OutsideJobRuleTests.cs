using Toolgrid.Core.Backends;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

public sealed class OutsideJobRuleTests
{
    private static readonly Dictionary<string, string> Tools = new(StringComparer.Ordinal) { ["tools.bot"] = "bot" };

    [Fact]
    public void Decide_JobOfAToolsUser_IsReportedWithItsTool()
    {
        var job = new OutsideJob("42", "crawl", "tools.bot", null);

        var found = OutsideJobRule.Decide([job], Tools, _ => false);

        Assert.Equal([new ToolOutsideJob("bot", job)], found);
    }

    [Fact]
    public void Decide_JobOfAPerson_IsNotReported()
    {
        var found = OutsideJobRule.Decide([new OutsideJob("7", "analysis", "alice", 1001)], Tools, _ => false);

        Assert.Empty(found);
    }

    [Fact]
    public void Decide_JobOfAToolUserNoToolHas_IsReportedWithoutATool()
    {
        var job = new OutsideJob("9", "old", "tools.gone", 50123);

        var found = OutsideJobRule.Decide([job], Tools, j => j.Uid is >= 50000 and <= 59999);

        Assert.Equal([new ToolOutsideJob(null, job)], found);
    }

    [Fact]
    public void Decide_SeveralJobs_InTheOrderOfTheirIds()
    {
        var found = OutsideJobRule.Decide(
            [new OutsideJob("100", "b", "tools.bot", null), new OutsideJob("99", "a", "tools.bot", null)],
            Tools,
            _ => false);

        Assert.Equal(["99", "100"], found.Select(f => f.Job.JobId));
    }

    [Fact]
    public void Warning_NamesTheToolTheJobAndWhatToDo()
    {
        var warning = OutsideJobRule.Warning(new ToolOutsideJob("bot", new OutsideJob("42", "crawl", "tools.bot", null)), "Grid Engine", "qdel");

        Assert.Contains("Grid Engine job 42 'crawl' of tool bot (Unix user tools.bot) was not started by Toolgrid", warning, StringComparison.Ordinal);
        Assert.Contains("not supervised, restarted or counted", warning, StringComparison.Ordinal);
        Assert.Contains("`qdel 42`", warning, StringComparison.Ordinal);
        Assert.Contains("`toolgrid jobs run`", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_ForAUserNoToolHas_SaysSoWithItsUid()
    {
        var warning = OutsideJobRule.Warning(new ToolOutsideJob(null, new OutsideJob("9", "old", "tools.gone", 50123)), "Slurm", "scancel");

        Assert.Contains("Slurm job 9 'old' of Unix user tools.gone (uid 50123), a tool's user that no tool here has", warning, StringComparison.Ordinal);
        Assert.Contains("`scancel 9`", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_ControlCharactersInAJobName_AreNotPassedOn()
    {
        var warning = OutsideJobRule.Warning(new ToolOutsideJob("bot", new OutsideJob("1", "a\u001b[31mb\n", "tools.bot", null)), "Slurm", "scancel");

        Assert.Contains("'a?[31mb?'", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', warning);
    }

    [Fact]
    public void Among_LeavesOutRecordedJobsAndSubmissionsUnderWay()
    {
        var recorded = new OutsideJob("1", "tg-5", "tools.bot", null);
        var submitting = new OutsideJob("2", "tg-6", "tools.bot", null);
        var byHand = new OutsideJob("4", "tg-7", "tools.bot", null);

        var found = OutsideJob.Among([recorded, submitting, byHand], ["1"], ["tg-6"]);

        Assert.Equal([byHand], found);
    }
}
