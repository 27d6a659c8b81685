using Toolgrid.Cli.JobsFile;
using Toolgrid.Cli.Tests.Support;

namespace Toolgrid.Cli.Tests.JobsFile;

public sealed class JobsFileKeysTests
{
    [Theory]
    [MemberData(nameof(JobFieldCodes.DeclaredByJobsRun), MemberType = typeof(JobFieldCodes))]
    public void All_EveryJobField_HasAKey(string field) =>
        Assert.Single(JobsFileKeys.All, k => k.Field == field);
}
