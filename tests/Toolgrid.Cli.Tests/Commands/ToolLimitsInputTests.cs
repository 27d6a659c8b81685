using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Tests.Commands;

public sealed class ToolLimitsInputTests
{
    [Fact]
    public void ToRequest_ValuesAndDefault_AreSentAsGiven()
    {
        var (parse, command) = TestCommandLine.Parse<ToolLimitsCommand>("tools", "limits", "mytool", "--max-mem", "8Gi", "--max-cpu", "Default", "--max-jobs", "50");
        var problems = new Problems();

        var update = command.Bind(parse).ToRequest(problems);

        Assert.Empty(problems);
        Assert.Equal(new ToolLimitsUpdate { MaxMemory = "8Gi", MaxCpu = "default", MaxJobs = "50" }, update);
    }

    [Fact]
    public void ToRequest_OnlyOneGiven_LeavesTheOthersAlone()
    {
        var update = new ToolLimitsInput { MaxJobs = "default" }.ToRequest(new Problems());

        Assert.Equal(new ToolLimitsUpdate { MaxJobs = "default" }, update);
    }

    [Fact]
    public void ToRequest_Nonsense_IsReportedForEachFlag()
    {
        var problems = new Problems();

        new ToolLimitsInput { MaxMemory = "huge", MaxCpu = "two", MaxJobs = "-1" }.ToRequest(problems);

        Assert.Equal(["maxMemory", "maxCpu", "maxJobs"], problems.Select(p => p.Field));
    }
}
