using System.Text.RegularExpressions;

namespace Toolgrid.Contracts.Validation;

/// <summary>One thing wrong with an input: the field it is about and what to do about it.</summary>
/// <param name="Field">The input field, in the API's spelling (e.g. <c>name</c>, <c>mem</c>, <c>retry</c>, <c>schedule</c>).</param>
/// <param name="Message">What is wrong and how to fix it, as a sentence.</param>
/// <remarks>
/// A message names no client's flag. Where it points at another field to fix, it names that field
/// in the API's spelling between backquotes (<c>add `continuous`</c>), so that each client can say
/// it the way its user types it (<see cref="MessageIn"/>): <c>--continuous</c> on the command line,
/// <c>continuous: true</c> in <c>jobs.yaml</c>.
/// </remarks>
public sealed partial record Problem(string Field, string Message)
{
    /// <summary>The message with each backquoted field spelled by <paramref name="spell"/>.</summary>
    public string MessageIn(Func<string, string> spell)
    {
        ArgumentNullException.ThrowIfNull(spell);
        return FieldReference().Replace(Message, match => spell(match.Groups[1].Value));
    }

    public override string ToString() => $"{Field}: {Message}";

    [GeneratedRegex("`([A-Za-z][A-Za-z0-9]*)`", RegexOptions.CultureInvariant)]
    private static partial Regex FieldReference();
}
