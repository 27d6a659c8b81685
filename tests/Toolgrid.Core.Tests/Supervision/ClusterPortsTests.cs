using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

/// <summary>The <c>$PORT</c> of runs an engine places: unique across every node, since the node is chosen later.</summary>
public sealed class ClusterPortsTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static Job PortJob(long id, int replicas = 1, int? fixedPort = null)
    {
        var job = Sample.Job(id);
        job.Kind = JobKind.Continuous;
        job.Replicas = replicas;
        job.UsesPort = true;
        job.FixedPort = fixedPort;
        return job;
    }

    private static Run Holding(long id, long jobId, int port, RunState state = RunState.Running, string? node = "node1")
    {
        var run = Sample.Run(id, jobId, state: state, node: node);
        run.Port = port;
        return run;
    }

    private static List<PlaceRun> Place(IReadOnlyList<Run> active, IReadOnlyList<NodeCapacity> nodes, params Job[] jobs) =>
        Supervisor.Decide(new SupervisorSnapshot([.. jobs.Select(j => new JobSummary(j, false, null))], active, nodes, EnginePlaces: true), Now)
            .OfType<PlaceRun>()
            .ToList();

    [Fact]
    public void EngineThatPlaces_GivesARunOfAPortJobAPortAndNoNode()
    {
        var place = Assert.Single(Place([Sample.Run(1)], [Sample.Node("node1"), Sample.Node("node2")], PortJob(1)));

        Assert.Null(place.Node);
        Assert.InRange(place.Port!.Value, 20000, 29999);
    }

    [Fact]
    public void EngineThatPlaces_NeverGivesAPortThatALiveRunOnAnyNodeHas()
    {
        // Every port of the range but two is held, on one node or the other, or by a run the engine has not placed yet.
        var nodes = new[] { Sample.Node("node1") with { FirstPort = 30000, LastPort = 30009 }, Sample.Node("node2") with { FirstPort = 30000, LastPort = 30009 } };
        var holders = Enumerable.Range(0, 8)
            .Select(i => Holding(100 + i, 50, 30000 + i, i == 7 ? RunState.Starting : RunState.Running, i == 7 ? null : i % 2 == 0 ? "node1" : "node2"))
            .ToList();
        var ended = Holding(200, 50, 30008, RunState.Succeeded);

        var places = Place([.. holders, ended, Sample.Run(1, jobId: 1), Sample.Run(2, jobId: 1), Sample.Run(3, jobId: 1)], nodes, PortJob(1, replicas: 3), PortJob(50));

        Assert.Equal([30008, 30009], places.Select(p => p.Port!.Value).Order());
        Assert.Equal([1L, 2L], places.Select(p => p.RunId).Order());
    }

    [Fact]
    public void EngineThatPlaces_TakesPortsEveryNodeHas()
    {
        var nodes = new[] { Sample.Node("node1") with { FirstPort = 30000, LastPort = 30005 }, Sample.Node("node2") with { FirstPort = 30004, LastPort = 30010 } };

        var places = Place([Sample.Run(1), Sample.Run(2), Sample.Run(3)], nodes, PortJob(1, replicas: 3));

        Assert.Equal([30004, 30005], places.Select(p => p.Port!.Value).Order());
    }

    [Fact]
    public void EngineThatPlaces_AFixedPortHeldOnAnotherNode_WaitsRatherThanSharingIt()
    {
        var holder = Holding(1, 2, 8080, node: "node2");

        Assert.Empty(Place([holder, Sample.Run(2)], [Sample.Node("node1"), Sample.Node("node2")], PortJob(1, fixedPort: 8080), PortJob(2)));
    }

    [Fact]
    public void EngineThatPlaces_AFreeFixedPort_IsGivenOnce()
    {
        var places = Place([Sample.Run(1, jobId: 1), Sample.Run(2, jobId: 2)], [Sample.Node("node1"), Sample.Node("node2")], PortJob(1, fixedPort: 8080), PortJob(2, fixedPort: 8080));

        Assert.Equal([new PlaceRun(1, null, 8080)], places);
    }

    [Fact]
    public void EngineThatPlaces_ARunWithoutAPort_GetsNone()
    {
        var job = Sample.Job(1);

        Assert.Equal([new PlaceRun(1, null)], Place([Sample.Run(1)], [Sample.Node()], job));
    }
}
