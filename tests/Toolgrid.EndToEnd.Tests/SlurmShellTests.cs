namespace Toolgrid.EndToEnd.Tests;

/// <summary>The shell suite on Slurm: srun on toolgridd's host, the run on a node of the real Slurm cluster.</summary>
[Collection(SlurmShared.Name)]
public sealed class SlurmShellTests(SlurmPlatform slurm) : ShellTests(slurm.Platform, "slshell", slurm.Nodes);
