using Toolgrid.Core.Backends;
using Toolgrid.Core.Errors;

namespace Toolgrid.Native.Terminals;

/// <summary>
/// The interactive runs a grid backend started on this host (<c>toolgrid jobs shell</c>): each
/// run's client (<c>srun</c>, <c>qrsh</c>), kept until the run is forgotten, and its one attach.
/// </summary>
/// <remarks>
/// A client is a child of this toolgridd and dies with it: a run marked interactive by an earlier
/// toolgridd has no session here, and is lost. A run whose client ended before its session
/// attached is held running (<see cref="HeldForAttach"/>) so that the session still reads what it
/// printed; a run nobody attached to within <see cref="AttachWait"/> is hung up.
/// </remarks>
/// <param name="timeProvider">The clock of the attach wait.</param>
public sealed class InteractiveSessions(TimeProvider timeProvider) : IDisposable
{
    /// <summary>How long a run's terminal waits for its attach before the run is hung up, as on the local backend.</summary>
    public static readonly TimeSpan AttachWait = TimeSpan.FromMinutes(5);

    private readonly Dictionary<long, InteractiveSession> _sessions = [];

    /// <summary>
    /// Starts a run's client once: <paramref name="start"/> runs under this object's lock, unless
    /// the run has a session already; it returns null when it started nothing, else the client and
    /// the script file it runs, which the session removes when it is forgotten.
    /// </summary>
    /// <returns>The session started; null when there was one already or nothing was started.</returns>
    public InteractiveSession? Start(long runId, int uid, Func<(InteractiveClient Client, SessionScript Script)?> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        lock (_sessions)
        {
            if (_sessions.ContainsKey(runId) || start() is not { } started)
            {
                return null;
            }

            return _sessions[runId] = new InteractiveSession(started.Client, uid, timeProvider.GetUtcNow(), started.Script);
        }
    }

    /// <summary>The session of a run; null when this toolgridd did not start it.</summary>
    public InteractiveSession? Get(long runId)
    {
        lock (_sessions)
        {
            return _sessions.GetValueOrDefault(runId);
        }
    }

    /// <summary>The run's terminal, for its one attach.</summary>
    /// <exception cref="ToolgridException">The run is not an interactive run of this toolgridd (not found), or was attached before (conflict).</exception>
    public IRunTerminal Attach(long runId)
    {
        var session = Get(runId) ?? throw ToolgridException.NotFound("run-not-found", $"run {runId} is not an interactive run started by this toolgridd.");
        return session.Client.Attach(runId)
            ?? throw ToolgridException.Conflict("run-not-attachable", $"run {runId} is not waiting for an attach: it was attached before.");
    }

    /// <summary>
    /// Whether a run whose client has ended is still held running for its session: nobody attached
    /// yet, no stop was asked, and <see cref="AttachWait"/> has not passed since it started.
    /// </summary>
    public bool HeldForAttach(InteractiveSession session, bool stopAsked)
    {
        ArgumentNullException.ThrowIfNull(session);
        return !session.Client.Attached && !stopAsked && timeProvider.GetUtcNow() - session.Since <= AttachWait;
    }

    /// <summary>Hangs up a running client nobody attached to within <see cref="AttachWait"/> (the caller went away before the run started); whether it did.</summary>
    public bool HangUpIfUnattached(InteractiveSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Client.Attached || timeProvider.GetUtcNow() - session.Since <= AttachWait)
        {
            return false;
        }

        session.Client.Dispose();
        session.Client.SignalHangUp();
        return true;
    }

    /// <summary>Drops a run's session, hanging its client up and removing its script file.</summary>
    public void Forget(long runId)
    {
        lock (_sessions)
        {
            if (_sessions.Remove(runId, out var session))
            {
                End(session);
            }
        }
    }

    /// <summary>Hangs every client up, as when toolgridd dies, and removes their script files.</summary>
    public void Dispose()
    {
        lock (_sessions)
        {
            foreach (var session in _sessions.Values)
            {
                End(session);
            }

            _sessions.Clear();
        }
    }

    private static void End(InteractiveSession session)
    {
        session.Client.SignalHangUp();
        session.Client.Dispose();
        session.Script.Dispose();
    }

    /// <summary>What a client said on its standard error (its messages file), on one line, at most 500 characters; empty when the file cannot be read.</summary>
    public static string ReadMessages(string path)
    {
        try
        {
            var text = File.ReadAllText(path).ReplaceLineEndings(" ").Trim();
            return text.Length <= 500 ? text : text[..500];
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}

/// <summary>An interactive run's client, the uid it runs as, when it started, and the script file it runs.</summary>
public sealed record InteractiveSession(InteractiveClient Client, int Uid, DateTimeOffset Since, SessionScript Script);
