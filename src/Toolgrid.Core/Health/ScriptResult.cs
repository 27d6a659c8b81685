using System.Globalization;
using System.Text;

namespace Toolgrid.Core.Health;

/// <summary>
/// The latest result of a grid run's health check script, as the loop in its job script writes
/// it on the node into a file of the tool's home (shared with the login host): one line,
/// <c>EXIT-CODE TIME</c>, the exit code of <c>timeout … /bin/sh -c SCRIPT</c> and the node's
/// time in nanoseconds since the epoch when it ended.
/// </summary>
/// <remarks>
/// The file is the tool's: toolgridd reads it as hostile input (see <see cref="Parse"/>), and the
/// time only tells a new result from one already read; it is never compared with the login
/// host's clock.
/// </remarks>
/// <param name="ExitCode">The check's exit code: 0 passed, 124 ran past its timeout.</param>
/// <param name="Time">When it ended, on the node: nanoseconds since the epoch.</param>
public sealed record ScriptResult(int ExitCode, long Time)
{
    /// <summary>The most a result file may hold; anything longer is not a result.</summary>
    public const int MaxLength = 64;

    /// <summary>The exit code of coreutils' <c>timeout</c> when the check ran past its time.</summary>
    public const int TimedOut = 124;

    /// <summary>The file's name in the home of run <paramref name="runId"/>: hidden, and the run's own (as the interactive session's script's).</summary>
    public static string NameOf(long runId) => ".toolgrid-health-" + runId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The file's path for run <paramref name="runId"/> of a tool whose home is <paramref name="home"/>.</summary>
    public static string PathOf(string home, long runId) => Path.Combine(home, NameOf(runId));

    /// <summary>
    /// The result in <paramref name="content"/>, or null unless it is exactly one line of two
    /// ASCII decimal numbers separated by one space, an exit code of 0–255 and a positive time,
    /// with at most one trailing newline.
    /// </summary>
    public static ScriptResult? Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length is 0 or > MaxLength)
        {
            return null;
        }

        if (content[^1] == (byte)'\n')
        {
            content = content[..^1];
        }

        var space = content.IndexOf((byte)' ');
        if (space < 0)
        {
            return null;
        }

        return Number(content[..space], 3) is { } code and <= 255 && Number(content[(space + 1)..], 19) is { } time and > 0
            ? new ScriptResult((int)code, time)
            : null;
    }

    /// <summary>What the result says, as a check's outcome.</summary>
    /// <param name="timeout">The check's timeout, for the message of one that ran past it.</param>
    public CheckResult ToCheckResult(TimeSpan timeout) => ExitCode switch
    {
        0 => CheckResult.Pass,
        TimedOut => CheckResult.Fail($"the health script did not finish within {CheckResult.Describe(timeout)}"),
        _ => CheckResult.Fail($"the health script exited {ExitCode.ToString(CultureInfo.InvariantCulture)}"),
    };

    /// <summary>The line the loop writes (for tests and for the loop's own documentation).</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{ExitCode} {Time}\n");

    private static long? Number(ReadOnlySpan<byte> digits, int maxDigits)
    {
        if (digits.Length == 0 || digits.Length > maxDigits)
        {
            return null;
        }

        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
        }

        return long.TryParse(Encoding.ASCII.GetString(digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
