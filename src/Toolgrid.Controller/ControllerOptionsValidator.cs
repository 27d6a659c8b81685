using Microsoft.Extensions.Options;
using Toolgrid.Core.Scheduling;

namespace Toolgrid.Controller;

/// <summary>Refuses controller settings the scheduler cannot use, naming each problem (at start).</summary>
internal sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        var settings = new ScheduleSettings(options.ScheduleLateness, options.CatchUpWindow, ScheduleSettings.Default.MaxRecordedMisses)
        {
            LeadTime = options.ScheduleLeadTime,
        };
        var problems = settings.Problems()
            .Select(problem => $"{ControllerOptions.Section}: {problem} (ScheduleLateness, CatchUpWindow and ScheduleLeadTime are durations such as 00:00:30.)")
            .ToList();
        if (options.IdleInterval <= TimeSpan.Zero)
        {
            problems.Add($"{ControllerOptions.Section}:IdleInterval must be positive (it is {options.IdleInterval}); it is a duration such as 00:00:30.");
        }

        if (options.MaxParallelStarts is < 1 or > ControllerOptions.MaxParallelStartsLimit)
        {
            problems.Add($"{ControllerOptions.Section}:MaxParallelStarts must be between 1 and {ControllerOptions.MaxParallelStartsLimit} (it is {options.MaxParallelStarts}): that many runs are handed to the backend at once.");
        }

        if (options.RunHistory is < 1 or > RunHistoryRule.MaxRuns)
        {
            problems.Add($"{ControllerOptions.Section}:RunHistory must be between 1 and {RunHistoryRule.MaxRuns} (it is {options.RunHistory}): each job's newest ended runs are always kept, at least its last one.");
        }

        if (options.RunHistoryDays is < 0 or > RunHistoryRule.MaxDays)
        {
            problems.Add($"{ControllerOptions.Section}:RunHistoryDays must be between 0 and {RunHistoryRule.MaxDays} (it is {options.RunHistoryDays}): runs that ended within that many days are kept; 0 keeps by RunHistory alone.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
