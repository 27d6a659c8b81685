using Toolgrid.Cli.Commands.Jobs;
using Toolgrid.Cli.Output;
using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.Output;

public sealed class CliFieldsTests
{
    [Theory]
    [MemberData(nameof(JobFieldCodes.DeclaredByJobsRun), MemberType = typeof(JobFieldCodes))]
    public void Of_EveryJobField_IsAFlagOfJobsRun(string field)
    {
        var (_, command) = TestCommandLine.Parse<JobRunCommand>("jobs", "run", "x", "--command", "./x");
        var flags = command.Options.SelectMany(o => o.Aliases.Append(o.Name));

        Assert.Contains(CliFields.Of(field), flags);
    }
}
