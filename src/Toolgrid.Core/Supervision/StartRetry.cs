using System.Globalization;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Core.Supervision;

/// <summary>When a start that could not happen yet (<see cref="Backends.StartDeferredException"/>) is tried again, and how that is said.</summary>
/// <remarks>
/// 2 s after the first try, then twice as long each time up to <see cref="Cap"/>: a full disk or a
/// taken port may last, and each try costs little, but a run must start soon after the cause is gone.
/// </remarks>
public static class StartRetry
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    /// <summary>The wait after the <paramref name="tries"/>-th try in a row that could not start the run.</summary>
    public static TimeSpan Delay(int tries) => Doubling.Delay(First, Cap, tries);

    /// <summary>The run's message while it waits: why, and when it is tried again.</summary>
    public static string Message(string why, DateTimeOffset next) =>
        string.Create(CultureInfo.InvariantCulture, $"{why}; trying again at {next.UtcDateTime:HH:mm:ss} UTC");
}
