namespace Toolgrid.Backends.Local.Tests;

/// <summary>
/// The classes that run real shepherds, real commands and real cgroups (a fork bomb, a memory
/// hog, terminals, health checks): one test at a time, after the others, so that none of them
/// competes with another for the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealRuns
{
    public const string Name = "real runs";
}
