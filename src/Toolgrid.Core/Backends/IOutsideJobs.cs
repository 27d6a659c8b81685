namespace Toolgrid.Core.Backends;

/// <summary>
/// A backend whose engine other people can submit to (Grid Engine, Slurm): the jobs it listed at
/// its last read that are none of Toolgrid's runs, for the controller to report
/// (<see cref="Supervision.OutsideJobRule"/>).
/// </summary>
public interface IOutsideJobs
{
    /// <summary>The engine, in words: "Grid Engine", "Slurm".</summary>
    string Engine { get; }

    /// <summary>The program that deletes one of its jobs by id: <c>qdel</c>, <c>scancel</c>.</summary>
    string DeleteProgram { get; }

    /// <summary>The jobs of the last read of the engine that are none of Toolgrid's runs; null before the first read.</summary>
    IReadOnlyList<OutsideJob>? OutsideJobs { get; }
}
