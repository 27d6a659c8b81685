using Toolgrid.Contracts.Api;

namespace Toolgrid.Core.Jobs;

/// <summary>Well-known queue names.</summary>
public static class Queues
{
    /// <summary>The queue every tool may use.</summary>
    public const string Default = JobDefaults.Queue;
}
