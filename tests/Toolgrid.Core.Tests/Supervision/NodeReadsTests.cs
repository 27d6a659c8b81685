using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Supervision;

namespace Toolgrid.Core.Tests.Supervision;

/// <summary>
/// When a pass reads the backend's nodes again: always for a backend whose pass chooses the node;
/// for an engine that places runs, only when the nodes decide something (a dedicated queue's
/// fallback, a port, a drain) or the last read is too old.
/// </summary>
public sealed class NodeReadsTests
{
    private static readonly DateTimeOffset Now = Sample.Now;

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset Fresh = Now - TimeSpan.FromSeconds(2);

    private static SupervisorSnapshot Engine(Job job, Run run, params NodeDrain[] drains) =>
        new([new JobSummary(job, false, run)], [run], [Sample.Node()], EnginePlaces: true) { Drains = drains };

    [Fact]
    public void An_engines_pass_for_a_run_in_the_default_queue_uses_the_last_read() =>
        Assert.False(NodeReads.Needed(Engine(Sample.Job(), Sample.Run()), Fresh, Now, MaxAge));

    [Fact]
    public void An_engines_pass_with_nothing_queued_uses_the_last_read() =>
        Assert.False(NodeReads.Needed(Engine(Sample.Job(), Sample.Running()), Fresh, Now, MaxAge));

    [Fact]
    public void A_run_in_a_dedicated_queue_reads_them_whether_it_falls_back_depends_on_them() =>
        Assert.True(NodeReads.Needed(Engine(Sample.Job(), Sample.Run(queue: "bigmem")), Fresh, Now, MaxAge));

    [Fact]
    public void A_run_that_needs_a_port_reads_them()
    {
        var job = Sample.Job();
        job.UsesPort = true;

        Assert.True(NodeReads.Needed(Engine(job, Sample.Run()), Fresh, Now, MaxAge));
    }

    [Fact]
    public void A_drain_asked_or_to_undo_reads_them() =>
        Assert.True(NodeReads.Needed(Engine(Sample.Job(), Sample.Running(), new NodeDrain("node1", "kernel upgrade", EngineDrained: false)), Fresh, Now, MaxAge));

    [Theory]
    [InlineData(30)]
    [InlineData(-1)]
    public void A_read_as_old_as_the_limit_or_from_a_clock_set_back_is_made_again(int secondsAgo) =>
        Assert.True(NodeReads.Needed(Engine(Sample.Job(), Sample.Run()), Now - TimeSpan.FromSeconds(secondsAgo), Now, MaxAge));

    [Fact]
    public void The_first_pass_reads_them() =>
        Assert.True(NodeReads.Needed(Engine(Sample.Job(), Sample.Run()), null, Now, MaxAge));

    [Fact]
    public void A_backend_whose_pass_chooses_the_node_is_always_read()
    {
        var snapshot = Engine(Sample.Job(), Sample.Run()) with { EnginePlaces = false };

        Assert.True(NodeReads.Needed(snapshot, Fresh, Now, MaxAge));
    }
}
