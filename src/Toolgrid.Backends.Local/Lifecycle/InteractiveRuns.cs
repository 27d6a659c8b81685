using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Protocol;
using Toolgrid.Backends.Local.Terminals;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;

namespace Toolgrid.Backends.Local.Lifecycle;

/// <summary>Interactive runs (<c>toolgrid jobs shell</c>): the attach to a run's terminal.</summary>
internal sealed partial class InteractiveRuns(RunCatalog catalog, string nodeName, ILogger logger)
{
    private static readonly TimeSpan AttachAnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Attaches to the run's terminal (or pipes), which its shepherd passes to the first attach only.</summary>
    /// <exception cref="ToolgridException">The run is not on this node (not found), or has ended or is not waiting for an attach (conflict).</exception>
    public async Task<IRunTerminal> AttachAsync(long runId, CancellationToken cancellationToken)
    {
        var run = catalog.Find(runId) ?? throw ToolgridException.NotFound("run-not-found", $"run {runId} is not on node {nodeName}.");
        var terminal = await Task.Run(() => TerminalAttach.Attach(runId, run.Path, AttachAnswerTimeout), cancellationToken);
        if (terminal is null)
        {
            var ended = run.Read().Exit is not null;
            Log.AttachRefused(logger, runId, ended);
            throw ended
                ? ToolgridException.Conflict("run-ended", $"run {runId} has ended: there is nothing to attach to.")
                : ToolgridException.Conflict("run-not-attachable", $"run {runId} is not waiting for an attach: it is not interactive, or it was attached before.");
        }

        Log.Attached(logger, runId, terminal.IsTerminal ? "a pseudo-terminal" : "pipes");
        return terminal;
    }
}
