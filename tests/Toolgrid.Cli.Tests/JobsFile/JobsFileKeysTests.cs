using Toolgrid.Cli.JobsFile;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Cli.Tests.JobsFile;

public sealed class JobsFileKeysTests
{
    [Theory]
    [MemberData(nameof(JobFieldCodes.DeclaredByJobsRun), MemberType = typeof(JobFieldCodes))]
    public void All_EveryJobField_HasAKey(string field) =>
        Assert.Single(JobsFileKeys.All, k => k.Field == field);

    /// <summary><c>jobs load --dry-run</c> (the server's <see cref="JobDiff"/>) names a changed field by its key in the file.</summary>
    [Fact]
    public void All_AreTheLabelsOfTheServersDiff()
    {
        var labels = JobFields.All.Where(f => f.Label is not null && !JobFieldCodes.NotDeclaredByJobsRun.Contains(f.Code));

        Assert.All(labels, f => Assert.Equal(f.Label, JobsFileKeys.KeyOf(f.Code)));
    }
}
