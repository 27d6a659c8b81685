namespace Toolgrid.EndToEnd.Tests;

/// <summary>The jobs suite on Grid Engine: runs on the real SGE cluster's nodes.</summary>
[Collection(SgeShared.Name)]
public sealed class GridEngineJobTests(SgePlatform grid) : JobTests(grid.Platform, "sge", grid.Nodes)
{
    /// <summary>True: <c>h_vmem</c> is each process's <c>ulimit -v</c> as well as the job's total.</summary>
    protected override bool MemoryIsAnAddressSpaceLimit => true;

    /// <summary>True: the execd finds a job's total <c>h_vmem</c> by sampling its processes.</summary>
    protected override bool TotalMemoryIsSampled => true;

    /// <summary>True: a health check script runs in a loop inside the run's job.</summary>
    protected override bool ChecksRunInTheJob => true;
}
