using System.Globalization;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Nodes;

/// <summary>What an admin may give as the reason of a drain: it is kept, shown, and handed to the engine (Slurm's <c>Reason=</c>).</summary>
public static class DrainReasons
{
    /// <summary>The longest reason kept.</summary>
    public const int MaxLength = 200;

    /// <summary>The reason trimmed, or null with a problem added when it cannot be used.</summary>
    public static string? Validate(string? reason, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var trimmed = reason?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problems.Add("reason", "a drain needs a reason, for the other admins and the tools' maintainers: give --reason TEXT (e.g. --reason 'kernel upgrade').");
            return null;
        }

        if (trimmed.Length > MaxLength)
        {
            problems.Add("reason", string.Create(CultureInfo.InvariantCulture, $"the reason has {trimmed.Length} characters; at most {MaxLength} are kept: say it shorter."));
            return null;
        }

        if (trimmed.Any(char.IsControl))
        {
            problems.Add("reason", "the reason holds a control character (a newline, a tab…): give it on one line of plain text.");
            return null;
        }

        return trimmed;
    }
}
