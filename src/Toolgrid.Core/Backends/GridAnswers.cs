using System.Globalization;

namespace Toolgrid.Core.Backends;

/// <summary>
/// Whether a grid engine's master answered the backend's last command, for <c>toolgrid status</c>:
/// while it does not, runs already on nodes go on, new runs wait
/// (<see cref="StartDeferredException.GridNotAnswering"/>), and ends are recorded once it answers.
/// </summary>
/// <param name="master">What answers for the engine, in words: "Grid Engine's qmaster", "Slurm's slurmctld".</param>
/// <param name="timeProvider">The clock.</param>
public sealed class GridAnswers(string master, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private (DateTimeOffset Since, string Said)? _silent;

    /// <summary>What answers for the engine, in words.</summary>
    public string Master => master;

    /// <summary>The master did not answer a command, which said <paramref name="said"/>.</summary>
    public void NotAnswering(string said)
    {
        lock (_lock)
        {
            _silent = (_silent?.Since ?? timeProvider.GetUtcNow(), said);
        }
    }

    /// <summary>The master answered.</summary>
    public void Answered()
    {
        lock (_lock)
        {
            _silent = null;
        }
    }

    /// <summary>One warning while the master does not answer; none once it does.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock)
            {
                return _silent is not { } silent
                    ? []
                    : [string.Create(CultureInfo.InvariantCulture, $"{master} has not answered since {silent.Since.UtcDateTime:HH:mm:ss} UTC ({silent.Said}): runs on the nodes go on, new runs wait to start, and ends are recorded once it answers")];
            }
        }
    }
}
