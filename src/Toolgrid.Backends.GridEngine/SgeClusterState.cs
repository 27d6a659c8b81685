using Toolgrid.Backends.GridEngine.Engine;

namespace Toolgrid.Backends.GridEngine;

/// <summary>What one <c>qstat -f -xml -u '*'</c> says: every job and every queue instance.</summary>
/// <param name="Jobs">Pending and running jobs of every user.</param>
/// <param name="QueueInstances">Every queue instance with its slots and state.</param>
public sealed record SgeClusterState(IReadOnlyList<SgeJob> Jobs, IReadOnlyList<SgeQueueInstance> QueueInstances);
