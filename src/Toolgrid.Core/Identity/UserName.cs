using System.Text.RegularExpressions;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Core.Identity;

/// <summary>The rules for a person's login name (a Unix user name on the login host).</summary>
public static partial class UserName
{
    public const string Pattern = "^[a-z_][a-z0-9_.-]{0,31}$";

    // "$" would also match before a final newline; "\z" does not.
    private const string Strict = "^[a-z_][a-z0-9_.-]{0,31}\\z";

    [GeneratedRegex(Strict, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();

    public static bool IsValid(string? name) => name is not null && Regex().IsMatch(name);

    public static void Validate(string? name, Problems problems, string field = "user")
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(field, "a user name is required.");
        }
        else if (!IsValid(name))
        {
            problems.Add(field, $"'{InputText.Shorten(name)}' is not a valid user name: use up to 32 lower-case letters, digits, '_', '.' and '-', starting with a letter or '_'.");
        }
    }
}
