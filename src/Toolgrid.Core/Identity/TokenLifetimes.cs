namespace Toolgrid.Core.Identity;

/// <summary>How long the site lets API tokens live (settings <c>Toolgrid:Tokens</c>).</summary>
/// <param name="DefaultDays">The lifetime of a token made without <c>expiresInDays</c>.</param>
/// <param name="MaxDays">The longest lifetime a token may be given.</param>
public sealed record TokenLifetimes(int DefaultDays = TokenLifetimes.DefaultLifetimeDays, int MaxDays = TokenLifetimes.MaxLifetimeDays)
{
    /// <summary>90 days unless the site says otherwise.</summary>
    public const int DefaultLifetimeDays = 90;

    /// <summary>365 days unless the site says otherwise.</summary>
    public const int MaxLifetimeDays = 365;

    /// <summary>The most a site may allow: ten years.</summary>
    public const int Ceiling = 3650;
}
