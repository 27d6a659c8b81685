namespace Toolgrid.Contracts.Api;

/// <summary><c>PATCH /api/v1/users/{user}/limits</c> (admin): raise or reset what one person may have. Null leaves a value; "default" resets it.</summary>
public sealed record UserLimitsUpdate
{
    /// <summary>How many active tools the person may have created, e.g. "50", or "default".</summary>
    public string? MaxTools { get; init; }
}

/// <summary>What one person may have, and has.</summary>
/// <param name="User">The person.</param>
/// <param name="MaxTools">How many active tools they may have created.</param>
/// <param name="Raised">Whether an admin set <paramref name="MaxTools"/> for them (else it is the site's default).</param>
/// <param name="ActiveTools">How many active tools they created.</param>
public sealed record UserLimitsView(string User, int MaxTools, bool Raised, int ActiveTools);
