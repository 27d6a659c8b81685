namespace Toolgrid.Core.Backends;

/// <summary>A backend that can attach to interactive runs' terminals (<c>toolgrid jobs shell</c>).</summary>
public interface IRunTerminals
{
    /// <summary>
    /// Attaches to an interactive run (one started with <see cref="RunLaunch.Interactive"/>).
    /// The run's command is started once the first attach is made, so nothing it prints is lost.
    /// Disposing the terminal hangs the run up.
    /// </summary>
    Task<IRunTerminal> AttachAsync(long runId, CancellationToken cancellationToken);
}
