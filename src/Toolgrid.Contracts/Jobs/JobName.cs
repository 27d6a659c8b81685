using System.Text.RegularExpressions;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Contracts.Jobs;

/// <summary>The rules for a job's name: an RFC 1123 label of at most 52 characters.</summary>
/// <remarks>52, not 63, as on Toolforge: room is left for suffixes that name a job's runs.</remarks>
public static partial class JobName
{
    public const int MaxLength = 52;

    public const string Pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    // "$" would also match before a final newline; "\z" does not.
    private const string Strict = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z";

    [GeneratedRegex(Strict, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();

    public static bool IsValid(string? name) => name is not null && name.Length <= MaxLength && Regex().IsMatch(name);

    public static void Validate(string? name, Problems problems, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(field, "a job name is required: lower-case letters, digits and '-'.");
        }
        else if (name.Length > MaxLength)
        {
            problems.Add(field, $"the job name is {name.Length} characters long; at most {MaxLength} are allowed.");
        }
        else if (!Regex().IsMatch(name))
        {
            problems.Add(field, $"'{InputText.Shorten(name)}' is not a valid job name: use lower-case letters, digits and '-', starting and ending with a letter or digit (an RFC 1123 label).");
        }
    }
}
