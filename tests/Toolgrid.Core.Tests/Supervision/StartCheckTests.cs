using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

public sealed class StartCheckTests
{
    private static Run Starting() => Sample.Run(state: RunState.Starting, node: "node1");

    [Fact]
    public void Decide_LiveJobOfAnActiveTool_Launches() =>
        Assert.True(StartCheck.Decide(Starting(), Sample.Job(), Sample.Tool()).ShouldLaunch);

    [Fact]
    public void Decide_JobOrToolGoneFromTheStore_FailsTheStart()
    {
        Assert.Equal(new StartCheck(null, "its job or tool no longer exists"), StartCheck.Decide(Starting(), null, Sample.Tool()));
        Assert.Equal(new StartCheck(null, "its job or tool no longer exists"), StartCheck.Decide(Starting(), Sample.Job(), null));
    }

    [Fact]
    public void Decide_DeletedJob_AbandonsTheStart()
    {
        var job = Sample.Job();
        job.DeletedAt = Sample.Now;

        var check = StartCheck.Decide(Starting(), job, Sample.Tool());

        Assert.Equal(new StartCheck(RunReason.JobDeleted, null), check);
        Assert.False(check.ShouldLaunch);
    }

    [Fact]
    public void Decide_DeletedTool_AbandonsTheStartForIt()
    {
        var tool = Sample.Tool();
        tool.DisabledAt = Sample.Now;

        Assert.Equal(new StartCheck(RunReason.ToolDeleted, null), StartCheck.Decide(Starting(), Sample.Job(), tool));
    }

    [Fact]
    public void Decide_RunAskedToStop_AbandonsTheStartWithTheStopsReason()
    {
        var run = Starting();
        run.StopReason = RunReason.Stopped;
        var job = Sample.Job();
        job.DeletedAt = Sample.Now;

        Assert.Equal(new StartCheck(RunReason.Stopped, null), StartCheck.Decide(run, job, Sample.Tool()));
    }
}
