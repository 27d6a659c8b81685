using System.Text;
using Toolgrid.Contracts.Jobs;

namespace Toolgrid.Cli.Wrappers;

/// <summary>Grid-era job names (any text, "Daily_Report", "bot.py") as Toolgrid job names (RFC 1123 labels, "daily-report", "bot-py").</summary>
/// <remarks>
/// The same name always becomes the same job name, so <c>jsub -N Bot</c>, <c>job Bot</c> and
/// <c>jstop Bot</c> all find the job <c>bot</c>.
/// </remarks>
internal static class WrapperJobName
{
    public static string From(string gridName)
    {
        ArgumentNullException.ThrowIfNull(gridName);
        var name = new StringBuilder(gridName.Length);
        foreach (var c in gridName.ToLowerInvariant())
        {
            var keep = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (keep != '-' || (name.Length > 0 && name[^1] != '-'))
            {
                name.Append(keep);
            }
        }

        var text = name.ToString().Trim('-');
        if (text.Length > JobName.MaxLength)
        {
            text = text[..JobName.MaxLength].TrimEnd('-');
        }

        return text.Length == 0 ? "job" : text;
    }
}
