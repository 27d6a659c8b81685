using Toolgrid.Backends.GridEngine.Engine;
using Toolgrid.Tests.Grid;

namespace Toolgrid.Backends.GridEngine.Tests;

public sealed class SgeReapingTests
{
    private static readonly IReadOnlySet<string> NoneSilent = new HashSet<string>();

    private static IReadOnlyList<SgeQueueInstance> InError => QstatXml.ParseQueueInstances(TestData.Read("qstat-f-node2-error.xml"));

    [Fact]
    public void A_host_back_has_the_instances_its_reaped_job_put_in_error_cleared_and_no_other()
    {
        var (host, clear) = SgeReaping.AfterJobGone(7, "node2", InError, NoneSilent);

        Assert.Equal(SgeHostReturn.Back, host);
        Assert.Equal(["default@node2", "dedicated@node2"], clear.Select(q => q.Name));
    }

    [Fact]
    public void An_error_another_job_caused_is_left_to_the_admin()
    {
        var (host, clear) = SgeReaping.AfterJobGone(8, "node2", InError, NoneSilent);

        Assert.Equal(SgeHostReturn.Back, host);
        Assert.Empty(clear);
    }

    [Fact]
    public void A_host_still_silent_or_unknown_to_the_qmaster_is_not_back()
    {
        Assert.Equal(SgeHostReturn.NotBack, SgeReaping.AfterJobGone(7, "node2", InError, new HashSet<string> { "node2" }).Host);

        var unknown = InError.Select(q => q.Host == "node2" ? q with { State = "uE" } : q).ToList();
        var (host, clear) = SgeReaping.AfterJobGone(7, "node2", unknown, NoneSilent);
        Assert.Equal(SgeHostReturn.NotBack, host);
        Assert.Empty(clear);
    }

    [Fact]
    public void A_host_taken_out_of_the_cell_leaves_nothing_to_do()
    {
        var (host, clear) = SgeReaping.AfterJobGone(7, "node3", InError, NoneSilent);

        Assert.Equal(SgeHostReturn.LeftCell, host);
        Assert.Empty(clear);
    }
}
