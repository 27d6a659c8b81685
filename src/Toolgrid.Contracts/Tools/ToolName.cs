using System.Text.RegularExpressions;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Contracts.Tools;

/// <summary>The rules for a tool's name.</summary>
/// <remarks>
/// A tool name is also part of a Unix user name (<c>&lt;prefix&gt;&lt;name&gt;</c>), a host name
/// label (<c>&lt;name&gt;.&lt;domain&gt;</c>) and a directory name, so it is the intersection of
/// what all three allow: lower-case letters, digits and inner hyphens, starting with a letter.
/// Unix user names are at most 32 characters on Debian, which shortens the longest tool name
/// when a prefix is in use.
/// </remarks>
public static partial class ToolName
{
    /// <summary>The longest tool name the pattern allows.</summary>
    public const int MaxLength = 32;

    /// <summary>The longest Unix user name <c>useradd</c> accepts.</summary>
    public const int MaxUnixUserNameLength = 32;

    public const string Pattern = "^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$";

    // "$" would also match before a final newline; "\z" does not.
    private const string Strict = "^[a-z]([-a-z0-9]{0,30}[a-z0-9])?\\z";

    [GeneratedRegex(Strict, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();

    /// <summary>Whether <paramref name="name"/> is a well-formed tool name.</summary>
    public static bool IsValid(string? name) => name is not null && Regex().IsMatch(name);

    /// <summary>Checks a tool name, adding each problem under <paramref name="field"/>.</summary>
    /// <param name="name">The name as typed.</param>
    /// <param name="unixUserPrefix">The prefix of tools' Unix user names, or null when tools do not get their own Unix user.</param>
    /// <param name="problems">Where problems go.</param>
    /// <param name="field">The field name to report.</param>
    public static void Validate(string? name, string? unixUserPrefix, Problems problems, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(field, "a tool name is required: lower-case letters, digits and '-', starting with a letter.");
            return;
        }

        if (!IsValid(name))
        {
            problems.Add(field, $"'{InputText.Shorten(name)}' is not a valid tool name: use 1 to {MaxLength} lower-case letters, digits and '-', starting with a letter and not ending with '-' (pattern {Pattern}).");
            return;
        }

        if (unixUserPrefix is not null && unixUserPrefix.Length + name.Length > MaxUnixUserNameLength)
        {
            var max = MaxUnixUserNameLength - unixUserPrefix.Length;
            problems.Add(field, $"'{name}' is {name.Length} characters long; with the Unix user prefix '{unixUserPrefix}' a tool name may have at most {max} characters.");
        }
    }
}
