using System.Globalization;
using Toolgrid.Bench.Scenarios;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Bench.Grid;

/// <summary>
/// A node dies under a continuous job: the job's one replica runs on a node, the cluster script
/// kills that node (its engine daemon and every process on it: <c>kill-node</c>), and the API is
/// read every <see cref="Poll"/> until the lost run is recorded ended and a new run of the job
/// runs on the other node. The node is revived and the job deleted afterwards.
/// </summary>
internal static class NodeLoss
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <param name="context">The running toolgridd and the bench tool.</param>
    /// <param name="clusterScript">The cluster's script, deploy/grid/ENGINE-cluster.sh.</param>
    /// <param name="cluster">The cluster's name.</param>
    /// <param name="nodes">The cluster's nodes, node 1 first.</param>
    /// <param name="repositoryRoot">Where the script runs.</param>
    /// <param name="cancellationToken">Stops it.</param>
    public static async Task<NodeLossSample> RunAsync(BenchContext context, string clusterScript, string cluster, IReadOnlyList<string> nodes, string repositoryRoot, CancellationToken cancellationToken)
    {
        const string job = "survivor";
        await context.Client.RunJobAsync(context.Tool, new JobRunRequest { Name = job, Command = "exec sleep 3600", Continuous = true, Filelog = false }, cancellationToken);
        RunView? first = null;
        await context.WaitUntilAsync(
            async () => (first = (await context.Client.GetJobAsync(context.Tool, job, cancellationToken)).Runs.FirstOrDefault(r => r.State == "running" && r.Node is not null)) is not null,
            Poll,
            Patience,
            "the continuous job running",
            cancellationToken);
        var lostNode = first!.Node!;
        var number = (nodes.ToList().IndexOf(lostNode) + 1).ToString(CultureInfo.InvariantCulture);

        var killedAt = context.Time.GetUtcNow();
        await ClientProcess.RunAsync(clusterScript, ["kill-node", cluster, number], null, repositoryRoot, cancellationToken);
        DateTimeOffset? lostSeen = null;
        DateTimeOffset? elsewhereSeen = null;
        RunView? lost = null;
        try
        {
            var begun = context.Time.GetTimestamp();
            while (elsewhereSeen is null && context.Time.GetElapsedTime(begun) < Patience)
            {
                var runs = (await context.Client.GetJobAsync(context.Tool, job, cancellationToken)).Runs;
                var now = context.Time.GetUtcNow();
                lost = runs.FirstOrDefault(r => r.Id == first.Id);
                lostSeen ??= lost?.FinishedAt is not null ? now : null;
                elsewhereSeen = runs.Any(r => r.Id != first.Id && r.State == "running" && r.Node is not null && r.Node != lostNode) ? now : null;
                await Task.Delay(Poll, context.Time, cancellationToken);
            }
        }
        finally
        {
            await ClientProcess.RunAsync(clusterScript, ["revive-node", cluster, number], null, repositoryRoot, CancellationToken.None);
            await context.Client.DeleteJobAsync(context.Tool, job, CancellationToken.None);
        }

        return new NodeLossSample(lostNode, killedAt, lostSeen, elsewhereSeen, lost?.Reason, lost?.Message);
    }
}
