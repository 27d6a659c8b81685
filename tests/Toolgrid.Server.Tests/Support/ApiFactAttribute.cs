namespace Toolgrid.Server.Tests.Support;

/// <summary>A test that calls as root (an admin) and as nobody and daemon (not admins): skipped, saying why, where that premise fails.</summary>
public sealed class ApiFactAttribute : FactAttribute
{
    public ApiFactAttribute()
    {
        if (People.PremiseFailure is { } why)
        {
            Skip = why;
        }
    }
}
