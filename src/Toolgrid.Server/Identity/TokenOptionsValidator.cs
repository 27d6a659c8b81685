using Microsoft.Extensions.Options;
using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>Checks <see cref="TokenOptions"/>, reporting every problem at once.</summary>
public sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = TokenOptions.Section;
        if (options.MaxLifetimeDays < 1 || options.MaxLifetimeDays > TokenLifetimes.Ceiling)
        {
            failures.Add($"{section}:MaxLifetimeDays must be 1 to {TokenLifetimes.Ceiling} days; it is {options.MaxLifetimeDays}.");
        }

        if (options.DefaultLifetimeDays < 1)
        {
            failures.Add($"{section}:DefaultLifetimeDays must be at least 1 day; it is {options.DefaultLifetimeDays}.");
        }
        else if (options.DefaultLifetimeDays > options.MaxLifetimeDays)
        {
            failures.Add($"{section}:DefaultLifetimeDays ({options.DefaultLifetimeDays}) must not be above MaxLifetimeDays ({options.MaxLifetimeDays}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
