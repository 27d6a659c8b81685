using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>How long API tokens live (section <c>Toolgrid:Tokens</c>).</summary>
public sealed class TokenOptions
{
    public const string Section = "Toolgrid:Tokens";

    /// <summary>Days a token lives when its maker names none.</summary>
    public int DefaultLifetimeDays { get; set; } = TokenLifetimes.DefaultLifetimeDays;

    /// <summary>The most days a token may be made to live.</summary>
    public int MaxLifetimeDays { get; set; } = TokenLifetimes.MaxLifetimeDays;

    public TokenLifetimes Lifetimes => new(DefaultLifetimeDays, MaxLifetimeDays);
}
