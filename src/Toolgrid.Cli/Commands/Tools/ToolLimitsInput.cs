using System.Globalization;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary>What <c>tools limits</c> was given: each value a size, a number, or <c>default</c> to reset.</summary>
internal sealed record ToolLimitsInput
{
    public const string Default = "default";

    public string? MaxMemory { get; init; }

    public string? MaxCpu { get; init; }

    public string? MaxJobs { get; init; }

    public bool IsEmpty => MaxMemory is null && MaxCpu is null && MaxJobs is null;

    /// <summary>The update to send; every problem found is added to <paramref name="problems"/> (fields in the API's spelling).</summary>
    public ToolLimitsUpdate ToRequest(Problems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var memory = Normalize(MaxMemory);
        if (memory is not null and not Default && !MemorySize.TryParse(memory, out _, out var memoryError))
        {
            problems.Add("maxMemory", memoryError + " Or 'default' for the site's ceiling.");
        }

        var cpu = Normalize(MaxCpu);
        if (cpu is not null and not Default && !CpuQuantity.TryParse(cpu, out _, out var cpuError))
        {
            problems.Add("maxCpu", cpuError + " Or 'default' for the site's ceiling.");
        }

        var jobs = Normalize(MaxJobs);
        if (jobs is not null and not Default && !(int.TryParse(jobs, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 0))
        {
            problems.Add("maxJobs", $"'{jobs}' is not a number of jobs: write a whole number such as 50, or 'default' for the site's ceiling.");
        }

        return new ToolLimitsUpdate { MaxMemory = memory, MaxCpu = cpu, MaxJobs = jobs };
    }

    private static string? Normalize(string? value)
    {
        var trimmed = value?.Trim();
        return string.Equals(trimmed, Default, StringComparison.OrdinalIgnoreCase) ? Default : trimmed;
    }
}
