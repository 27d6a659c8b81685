using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Tests.Validation;

public sealed class ProblemsTests
{
    [Fact]
    public void ThrowIfAny_None_DoesNotThrow()
    {
        var problems = new Problems();

        problems.ThrowIfAny();

        Assert.True(problems.IsEmpty);
    }

    [Fact]
    public void ThrowIfAny_Some_ThrowsWithEveryProblemInOrder()
    {
        var problems = new Problems();
        problems.Add("name", "is required.");
        problems.Add("mem", "is too large.");

        var thrown = Assert.Throws<ValidationException>(problems.ThrowIfAny);

        Assert.Equal([new Problem("name", "is required."), new Problem("mem", "is too large.")], thrown.Problems);
        Assert.Equal("name: is required.; mem: is too large.", thrown.Message);
    }
}
