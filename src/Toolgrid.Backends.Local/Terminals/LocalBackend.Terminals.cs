using Microsoft.Extensions.Logging;
using Toolgrid.Backends.Local.Terminals;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;

namespace Toolgrid.Backends.Local;

/// <summary>Interactive runs (<c>toolgrid jobs shell</c>): the attach to a run's terminal.</summary>
public sealed partial class LocalBackend : IRunTerminals
{
    private static readonly TimeSpan AttachAnswerTimeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    /// <remarks>
    /// A run is attached once: its shepherd passes the terminal (or pipes) to the first attach and
    /// then lets the command go. Disposing the terminal hangs the run up; so does toolgridd's exit.
    /// </remarks>
    public async Task<IRunTerminal> AttachAsync(long runId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var run = Find(runId) ?? throw ToolgridException.NotFound("run-not-found", $"run {runId} is not on node {NodeName}.");
        var terminal = await Task.Run(() => TerminalAttach.Attach(runId, run.Path, AttachAnswerTimeout), cancellationToken);
        if (terminal is null)
        {
            var ended = run.Read().Exit is not null;
            Log.AttachRefused(_logger, runId, ended);
            throw ended
                ? ToolgridException.Conflict("run-ended", $"run {runId} has ended: there is nothing to attach to.")
                : ToolgridException.Conflict("run-not-attachable", $"run {runId} is not waiting for an attach: it is not interactive, or it was attached before.");
        }

        Log.Attached(_logger, runId, terminal.IsTerminal ? "a pseudo-terminal" : "pipes");
        return terminal;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Attached to run {RunId} ({Streams})")]
        public static partial void Attached(ILogger logger, long runId, string streams);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot attach to run {RunId} (ended: {Ended})")]
        public static partial void AttachRefused(ILogger logger, long runId, bool ended);
    }
}
