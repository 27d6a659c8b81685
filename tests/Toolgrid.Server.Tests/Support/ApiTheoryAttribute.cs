namespace Toolgrid.Server.Tests.Support;

/// <summary>The theory form of <see cref="ApiFactAttribute"/>.</summary>
public sealed class ApiTheoryAttribute : TheoryAttribute
{
    public ApiTheoryAttribute()
    {
        if (People.PremiseFailure is { } why)
        {
            Skip = why;
        }
    }
}
