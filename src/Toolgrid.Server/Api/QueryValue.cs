using System.Text.RegularExpressions;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Server.Api;

/// <summary>A query value an endpoint could not take (<c>?wait=maybe</c>), said in plain words.</summary>
/// <remarks>
/// ASP.NET Core binds <c>bool?</c> and <c>int?</c> parameters itself and, on a value of the wrong
/// type, throws with its own text (<c>Failed to bind parameter "Nullable&lt;bool&gt; wait" from
/// "maybe".</c>). That text names .NET types; this reads the parameter and the value out of it
/// (the tests pin the format) and says what the parameter takes.
/// </remarks>
public static partial class QueryValue
{
    public static Problem? Describe(BadHttpRequestException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var match = BindFailure().Match(failure.Message);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var type = match.Groups["type"].Value;
        var takes = type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? "true or false"
            : type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) ? "a whole number"
            : "another kind of value";
        return new Problem(name, $"{name} takes {takes}; got '{InputText.Shorten(match.Groups["value"].Value)}'.");
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>[A-Za-z0-9_]+)" from "(?<value>.*)"\.$""", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex BindFailure();
}
