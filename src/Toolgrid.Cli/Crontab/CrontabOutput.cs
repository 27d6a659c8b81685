using System.Globalization;
using Spectre.Console;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Crontab;

/// <summary>What each crontab line became (<c>crontab import</c>), and the lines that could not become jobs, with why.</summary>
internal static class CrontabOutput
{
    public static void Write(IAnsiConsole console, CrontabConversion conversion)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(conversion);
        if (conversion.Jobs.Count > 0)
        {
            var table = Tables.New("LINE", "JOB", "SCHEDULE", new Header("COMMAND", Wraps: true));
            foreach (var job in conversion.Jobs)
            {
                var request = job.Request;
                Tables.AddRow(
                    table,
                    job.Line.ToString(CultureInfo.InvariantCulture),
                    request.Name,
                    request.Schedule is { } schedule ? schedule + (request.Timezone is { } zone ? $" ({zone})" : "") : "continuous",
                    request.Command);
            }

            console.Write(table);
            foreach (var job in conversion.Jobs)
            {
                foreach (var note in job.Notes)
                {
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {job.Line}: {note}"));
                }
            }
        }

        if (conversion.Skipped.Count > 0)
        {
            if (conversion.Jobs.Count > 0)
            {
                console.WriteLine();
            }

            console.Write(Tables.Heading(conversion.Skipped.Count == 1 ? "Not converted:" : string.Create(CultureInfo.InvariantCulture, $"Not converted ({conversion.Skipped.Count} lines):")));
            console.WriteLine();
            var table = Tables.New("LINE", new Header("CRONTAB", Wraps: true), new Header("WHY", Wraps: true));
            foreach (var skip in conversion.Skipped)
            {
                Tables.AddRow(table, skip.Line.ToString(CultureInfo.InvariantCulture), skip.Text.Trim(), skip.Reason);
            }

            console.Write(table);
        }
    }
}
