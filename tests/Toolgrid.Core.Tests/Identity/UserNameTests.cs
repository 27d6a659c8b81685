using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Identity;

namespace Toolgrid.Core.Tests.Identity;

public sealed class UserNameTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("_svc")]
    [InlineData("a")]
    [InlineData("bob.smith")]
    [InlineData("bob-smith_2")]
    [InlineData("tools.mytool")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")] // 32 characters
    public void Validate_GoodName_ReportsNothing(string name)
    {
        var problems = new Problems();

        UserName.Validate(name, problems);

        Assert.Empty(problems);
        Assert.True(UserName.IsValid(name));
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("1alice")]
    [InlineData("-alice")]
    [InlineData(".alice")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    [InlineData("al ice")]
    [InlineData("alice@example.org")]
    [InlineData("älice")]
    [InlineData("al\0ice")]
    [InlineData("alice\n")]
    public void Validate_BadName_SaysWhatIsAllowed(string name)
    {
        var problems = new Problems();

        UserName.Validate(name, problems, "user");

        var problem = Assert.Single(problems);
        Assert.Equal("user", problem.Field);
        Assert.Contains("is not a valid user name", problem.Message, StringComparison.Ordinal);
        Assert.Contains("up to 32 lower-case letters", problem.Message, StringComparison.Ordinal);
        Assert.False(UserName.IsValid(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_Missing_SaysANameIsRequired(string? name)
    {
        var problems = new Problems();

        UserName.Validate(name, problems);

        Assert.Equal("a user name is required.", Assert.Single(problems).Message);
    }
}
