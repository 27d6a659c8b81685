using System.Globalization;
using System.Text.RegularExpressions;

namespace Toolgrid.Bench.Server;

/// <summary>One line of toolgridd's console log (simple formatter, single line, UTC timestamps with microseconds).</summary>
internal sealed partial record LogLine(DateTimeOffset At, string Level, string Category, int EventId, string Message)
{
    /// <summary>The timestamp format toolgridd is started with, so that log times line up with the API's to the microsecond.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z' ";

    public static LogLine? TryParse(string line)
    {
        var match = Pattern().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var at = DateTimeOffset.ParseExact(match.Groups["at"].Value, TimestampFormat.TrimEnd(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new LogLine(at, match.Groups["level"].Value, match.Groups["category"].Value, int.Parse(match.Groups["event"].Value, CultureInfo.InvariantCulture), match.Groups["message"].Value);
    }

    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z) (?<level>[a-z]+): (?<category>[^\[ ]+)\[(?<event>\d+)\] (?<message>.*)$")]
    private static partial Regex Pattern();
}
