using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Tests.Jobs;

public sealed class JobNameTests
{
    [Theory]
    [InlineData("fetch")]
    [InlineData("f")]
    [InlineData("1")]
    [InlineData("2fetch")]
    [InlineData("fetch-all")]
    [InlineData("fetch--all")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop")] // 52 characters
    public void Validate_GoodName_ReportsNothing(string name)
    {
        var problems = new Problems();

        JobName.Validate(name, problems);

        Assert.Empty(problems);
        Assert.True(JobName.IsValid(name));
    }

    [Theory]
    [InlineData("Fetch")]
    [InlineData("-fetch")]
    [InlineData("fetch-")]
    [InlineData("fetch.all")]
    [InlineData("fetch_all")]
    [InlineData("fetch all")]
    [InlineData("..")]
    [InlineData("fétch")]
    [InlineData("fetch\0")]
    [InlineData("fetch\n")]
    [InlineData("../fetch")]
    public void Validate_NotAnRfc1123Label_SaysWhatIsAllowed(string name)
    {
        var problems = new Problems();

        JobName.Validate(name, problems, "job");

        var problem = Assert.Single(problems);
        Assert.Equal("job", problem.Field);
        Assert.Contains("is not a valid job name", problem.Message, StringComparison.Ordinal);
        Assert.Contains("starting and ending with a letter or digit", problem.Message, StringComparison.Ordinal);
        Assert.False(JobName.IsValid(name));
    }

    [Fact]
    public void Validate_FiftyThreeCharacters_SaysTheLengthAndTheLimit()
    {
        var problems = new Problems();
        var name = new string('a', 53);

        JobName.Validate(name, problems);

        var problem = Assert.Single(problems);
        Assert.Equal("the job name is 53 characters long; at most 52 are allowed.", problem.Message);
        Assert.False(JobName.IsValid(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_Missing_SaysANameIsRequired(string? name)
    {
        var problems = new Problems();

        JobName.Validate(name, problems);

        var problem = Assert.Single(problems);
        Assert.Equal("name", problem.Field);
        Assert.StartsWith("a job name is required", problem.Message, StringComparison.Ordinal);
    }
}
