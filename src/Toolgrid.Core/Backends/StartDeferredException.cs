namespace Toolgrid.Core.Backends;

/// <summary>
/// Thrown by <see cref="IBackend.StartAsync"/> when a run cannot be started now for a reason that
/// passes: the node's disk is full, the port the run must serve on is taken. Nothing of the run
/// was started, so starting it again later starts it once; the controller keeps it starting and
/// tries again (<see cref="Supervision.StartRetry"/>).
/// </summary>
/// <remarks>The message says why in words, for whoever waits for the run: "port 8000 on node n1 is taken by process 4242 (nginx)".</remarks>
public sealed class StartDeferredException : Exception
{
    public StartDeferredException()
        : base("the run cannot be started now")
    {
    }

    public StartDeferredException(string message)
        : base(message)
    {
    }

    public StartDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What the message of a start that waits for a grid engine's master begins with.</summary>
    public const string WaitingForTheGrid = "waiting for the grid: ";

    /// <summary>
    /// The start waits because <paramref name="what"/> (a grid engine's master) does not answer:
    /// "waiting for the grid: Grid Engine's qmaster master-1 does not answer ('qsub …' failed …)".
    /// </summary>
    public static StartDeferredException GridNotAnswering(string what, Exception cause) =>
        new($"{WaitingForTheGrid}{what} does not answer ({cause.Message})", cause);
}
