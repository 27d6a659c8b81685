using Toolgrid.Contracts.Runs;

namespace Toolgrid.Core.Tests.Runs;

public sealed class RunStateExtensionsTests
{
    [Theory]
    [InlineData(RunState.Queued, false)]
    [InlineData(RunState.Starting, false)]
    [InlineData(RunState.Running, false)]
    [InlineData(RunState.Succeeded, true)]
    [InlineData(RunState.Failed, true)]
    [InlineData(RunState.Killed, true)]
    [InlineData(RunState.Lost, true)]
    public void IsTerminal_OnlyForTheEnds(RunState state, bool terminal)
    {
        Assert.Equal(terminal, state.IsTerminal());
        Assert.Equal(terminal, Sample.Run(state: state).IsTerminal);
        Assert.Equal(!terminal, Sample.Run(state: state).IsActive);
    }

    [Theory]
    [InlineData(RunState.Queued, "queued")]
    [InlineData(RunState.Starting, "starting")]
    [InlineData(RunState.Running, "running")]
    [InlineData(RunState.Succeeded, "succeeded")]
    [InlineData(RunState.Failed, "failed")]
    [InlineData(RunState.Killed, "killed")]
    [InlineData(RunState.Lost, "lost")]
    public void ToWire_IsTheLowerCaseName(RunState state, string wire) => Assert.Equal(wire, state.ToWire());
}
