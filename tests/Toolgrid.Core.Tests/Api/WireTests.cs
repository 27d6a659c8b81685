using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Tests.Api;

public sealed class WireTests
{
    [Theory]
    [InlineData(RunReason.Submitted, "submitted")]
    [InlineData(RunReason.Retry, "retry")]
    [InlineData(RunReason.Placed, "placed")]
    [InlineData(RunReason.Started, "started")]
    [InlineData(RunReason.Exited, "exited")]
    [InlineData(RunReason.Signaled, "signaled")]
    [InlineData(RunReason.OutOfMemory, "out-of-memory")]
    [InlineData(RunReason.TimedOut, "timed-out")]
    [InlineData(RunReason.StartFailed, "start-failed")]
    [InlineData(RunReason.Stopped, "stopped")]
    [InlineData(RunReason.JobDeleted, "job-deleted")]
    [InlineData(RunReason.ToolDeleted, "tool-deleted")]
    [InlineData(RunReason.ShepherdLost, "shepherd-lost")]
    [InlineData(RunReason.NodeLost, "node-lost")]
    [InlineData(RunReason.Vanished, "vanished")]
    public void Of_RunReason_IsItsStableSpelling(RunReason reason, string wire) => Assert.Equal(wire, RunWire.Of(reason));

    [Fact]
    public void Of_RunReason_SpellsEveryReasonDifferently()
    {
        var spellings = Enum.GetValues<RunReason>().Select(RunWire.Of).ToList();

        Assert.Equal(spellings.Count, spellings.Distinct(StringComparer.Ordinal).Count());
        Assert.All(spellings, s => Assert.Matches("^[a-z]+(-[a-z]+)*$", s));
    }

    [Theory]
    [InlineData(RunState.Queued, "queued")]
    [InlineData(RunState.Starting, "starting")]
    [InlineData(RunState.Running, "running")]
    [InlineData(RunState.Succeeded, "succeeded")]
    [InlineData(RunState.Failed, "failed")]
    [InlineData(RunState.Killed, "killed")]
    [InlineData(RunState.Lost, "lost")]
    public void Of_RunState_IsTheLowerCaseName(RunState state, string wire) => Assert.Equal(wire, RunWire.Of(state));

    [Theory]
    [InlineData(JobKind.OneOff, "one-off")]
    [InlineData(JobKind.Continuous, "continuous")]
    [InlineData(JobKind.Scheduled, "scheduled")]
    public void Of_JobKind_IsItsStableSpelling(JobKind kind, string wire) => Assert.Equal(wire, JobWire.Of(kind));

    [Fact]
    public void Of_UnknownJobKind_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => JobWire.Of((JobKind)99));

    [Theory]
    [InlineData(EmailPolicy.None, "none")]
    [InlineData(EmailPolicy.OnFailure, "onfailure")]
    [InlineData(EmailPolicy.OnFinish, "onfinish")]
    [InlineData(EmailPolicy.All, "all")]
    public void Of_EmailPolicy_IsToolforgesSpellingAndParsesBack(EmailPolicy policy, string wire)
    {
        Assert.Equal(wire, JobWire.Of(policy));
        Assert.True(JobWire.TryParseEmails(wire, out var parsed));
        Assert.Equal(policy, parsed);
    }

    [Theory]
    [InlineData("on-failure", EmailPolicy.OnFailure)]
    [InlineData("on-finish", EmailPolicy.OnFinish)]
    [InlineData(" All ", EmailPolicy.All)]
    [InlineData("NONE", EmailPolicy.None)]
    public void TryParseEmails_OtherSpellings_AreAccepted(string text, EmailPolicy expected)
    {
        Assert.True(JobWire.TryParseEmails(text, out var policy));
        Assert.Equal(expected, policy);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("always")]
    [InlineData("on_failure")]
    [InlineData("1")]
    public void TryParseEmails_Unknown_IsRefused(string? text)
    {
        Assert.False(JobWire.TryParseEmails(text, out var policy));
        Assert.Equal(EmailPolicy.None, policy);
    }
}
