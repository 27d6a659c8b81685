namespace Toolgrid.Core.Backends;

/// <summary>What a backend has seen of a run.</summary>
public enum BackendRunPhase
{
    /// <summary>Its process runs.</summary>
    Running,

    /// <summary>
    /// The backend has it and its command has not started yet: set up and held until its
    /// <see cref="RunLaunch.NotBefore"/>, or pending in an engine's queue until the engine places
    /// it (the report then has no node).
    /// </summary>
    Waiting,

    /// <summary>It ended; the report says how.</summary>
    Exited,

    /// <summary>The backend lost track of it (its shepherd died, its host restarted): how it ended is unknown.</summary>
    Lost,
}
