using System.Net.Mail;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Tools;

/// <summary>A tool's own mail address, which gets its jobs' mail besides the maintainers.</summary>
public static class ToolEmail
{
    /// <summary>The longest address SMTP carries (RFC 5321's path limit).</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// Checks an address: a bare <c>local@domain</c>, no display name, no spaces. Returns it
    /// trimmed; null (and a problem) when it is not one. <c>none</c> or empty means no address
    /// and returns null without a problem.
    /// </summary>
    public static string? Validate(string? text, Problems problems, string field = "email")
    {
        ArgumentNullException.ThrowIfNull(problems);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed == "none")
        {
            return null;
        }

        if (trimmed.Length > MaxLength)
        {
            problems.Add(field, $"the address is {trimmed.Length} characters long; at most {MaxLength} are allowed.");
            return null;
        }

        if (trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')
            || !MailAddress.TryCreate(trimmed, out var address)
            || address.Address != trimmed
            || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            problems.Add(field, $"'{InputText.Shorten(trimmed)}' is not a mail address: give one like mytool@example.org (or 'none' for no address).");
            return null;
        }

        return trimmed;
    }
}
