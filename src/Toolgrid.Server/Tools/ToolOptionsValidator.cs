using Microsoft.Extensions.Options;
using Toolgrid.Contracts.Tools;
using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Tools;

/// <summary>Checks <see cref="ToolOptions"/>, reporting every problem at once.</summary>
public sealed class ToolOptionsValidator : IValidateOptions<ToolOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = ToolOptions.Section;
        foreach (var (reserved, index) in (options.ReservedNames ?? []).Select((n, i) => (n, i)))
        {
            if (!ToolName.IsValid(reserved))
            {
                failures.Add($"{section}:ReservedNames:{index} is '{reserved}', which is no tool name (pattern {ToolName.Pattern}), so reserving it would reserve nothing.");
            }
        }

        if (options.MaxToolsPerPerson < 1 || options.MaxToolsPerPerson > ToolCap.Ceiling)
        {
            failures.Add($"{section}:MaxToolsPerPerson must be 1 to {ToolCap.Ceiling}; it is {options.MaxToolsPerPerson}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
