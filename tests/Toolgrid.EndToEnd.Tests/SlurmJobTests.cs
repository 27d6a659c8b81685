namespace Toolgrid.EndToEnd.Tests;

/// <summary>The jobs suite on Slurm: runs on the real Slurm cluster's nodes.</summary>
[Collection(SlurmShared.Name)]
public sealed class SlurmJobTests(SlurmPlatform slurm) : JobTests(slurm.Platform, "slurm", slurm.Nodes)
{
    /// <summary>True: a health check script runs in a loop inside the run's job.</summary>
    protected override bool ChecksRunInTheJob => true;
}
