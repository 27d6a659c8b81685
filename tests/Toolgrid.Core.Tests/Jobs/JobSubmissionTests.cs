using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;

namespace Toolgrid.Core.Tests.Jobs;

/// <summary>What submitting a job by name does (jsub, jstart, qcronsub) when the tool has a job of that name.</summary>
public sealed class JobSubmissionTests
{
    private static Job OneOff(string command = "./fetch.sh")
    {
        var job = Sample.Job();
        job.Command = command;
        return job;
    }

    private static Job Continuous(RestartPolicy restart = RestartPolicy.OnFailure)
    {
        var job = OneOff();
        job.Kind = JobKind.Continuous;
        job.Restart = restart;
        return job;
    }

    private static Run Ended(RunState state = RunState.Succeeded, int generation = 1)
    {
        var run = Sample.Run(id: 18, state: state, node: "node1");
        run.Generation = generation;
        return run;
    }

    [Fact]
    public void Decide_NoJobOfTheName_CreatesIt() =>
        Assert.Equal(SubmissionStep.Create, JobSubmission.Decide(null, OneOff(), [], null, once: true).Step);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_AJobThatHasEnded_RunsAgain(bool once) =>
        Assert.Equal(SubmissionStep.RunAgain, JobSubmission.Decide(OneOff(), OneOff(), [], Ended(), once).Step);

    [Fact]
    public void Decide_AJobThatHasEnded_SubmittedWithAnotherCommand_IsReplacedAndRuns()
    {
        var decision = JobSubmission.Decide(OneOff(), OneOff("./fetch.sh --all"), [], Ended(RunState.Failed), once: true);

        Assert.Equal(SubmissionStep.Replace, decision.Step);
        Assert.Equal(["command: ./fetch.sh → ./fetch.sh --all"], decision.Changes);
    }

    [Fact]
    public void Decide_Once_WhileItRuns_IsRefusedAsTheGridDid()
    {
        var running = Sample.Running(id: 19);

        var decision = JobSubmission.Decide(OneOff(), OneOff(), [running], running, once: true);

        Assert.Equal((SubmissionStep.Refuse, "job-active"), (decision.Step, decision.ErrorCode));
        Assert.Equal("there is a job named 'fetch' already active (run 19, running).", decision.Refusal);
    }

    [Fact]
    public void Decide_WithoutOnce_ARunningOneOffJob_GetsASecondRunBeside()
    {
        var running = Sample.Running(id: 19);

        Assert.Equal(SubmissionStep.RunAlongside, JobSubmission.Decide(OneOff(), OneOff(), [running], running, once: false).Step);
    }

    [Fact]
    public void Decide_WithoutOnce_ARunningOneOffJobSubmittedChanged_IsRefused_ItsRunsShareItsDeclaration()
    {
        var running = Sample.Running(id: 19);

        var decision = JobSubmission.Decide(OneOff(), OneOff("./other.sh"), [running], running, once: false);

        Assert.Equal((SubmissionStep.Refuse, "job-active-differs"), (decision.Step, decision.ErrorCode));
        Assert.Contains("command: ./fetch.sh → ./other.sh", decision.Refusal, StringComparison.Ordinal);
        Assert.Contains("another name", decision.Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decide_AContinuousJobWaitingForItsRestart_IsActive(bool once)
    {
        var decision = JobSubmission.Decide(Continuous(RestartPolicy.Always), Continuous(RestartPolicy.Always), [], Ended(RunState.Failed), once);

        Assert.Equal((SubmissionStep.Refuse, "job-active"), (decision.Step, decision.ErrorCode));
        Assert.Contains("waiting to be started again", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AContinuousJobDoneUnderOnFailure_RunsAgain() =>
        Assert.Equal(SubmissionStep.RunAgain, JobSubmission.Decide(Continuous(), Continuous(), [], Ended(RunState.Succeeded), once: true).Step);

    [Fact]
    public void Decide_AnotherKind_IsNeverTurnedIntoThisOne()
    {
        var decision = JobSubmission.Decide(Continuous(), OneOff(), [], Ended(), once: false);

        Assert.Equal((SubmissionStep.Refuse, "job-kind-differs"), (decision.Step, decision.ErrorCode));
        Assert.StartsWith("there is a continuous job named 'fetch', and this submission would make it one-off", decision.Refusal, StringComparison.Ordinal);
    }
}
