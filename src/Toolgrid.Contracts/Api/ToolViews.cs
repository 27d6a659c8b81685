namespace Toolgrid.Contracts.Api;

/// <summary>A tool as the API shows it.</summary>
public sealed record ToolView(
    string Name,
    string Description,
    string UnixUser,
    int Uid,
    string Home,
    IReadOnlyList<MaintainerView> Maintainers,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    bool Disabled,
    DateTimeOffset? DisabledAt,
    LimitsView Limits,
    int Jobs,
    string? Email = null);

/// <summary>One maintainer of a tool.</summary>
public sealed record MaintainerView(string User, DateTimeOffset AddedAt, string AddedBy);

/// <summary>The ceilings that apply to a tool's jobs.</summary>
public sealed record LimitsView(string DefaultMemory, string DefaultCpu, string MaxMemory, string MaxCpu, int MaxJobs);
