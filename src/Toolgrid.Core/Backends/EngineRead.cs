namespace Toolgrid.Core.Backends;

/// <summary>Which read of the engine a grid backend makes next (<see cref="EngineReadPace"/>).</summary>
public enum EngineRead
{
    /// <summary>The periodic read: the engine's whole list of jobs (<c>qstat</c>, <c>squeue</c>), one process.</summary>
    Full,

    /// <summary>The engine's file of ended jobs grew: read what it added, at once.</summary>
    Ends,
}
