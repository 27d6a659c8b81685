using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Crontab;

/// <summary>
/// The API's check of the converted jobs (a dry run), read back onto the crontab: a job it refuses
/// is a line that was not converted, with each problem in the crontab's words.
/// </summary>
/// <remarks>
/// The CLI checks nothing of a job itself: the API's rules are the only ones (JobRules), and its
/// problems name the list entry (<c>jobs[2].mem</c>), which is a crontab line.
/// </remarks>
internal static class CrontabCheck
{
    /// <summary>
    /// <paramref name="conversion"/> without the jobs <paramref name="problems"/> are about, those lines
    /// now among the skipped; false (and the conversion unchanged) when a problem is about no one job.
    /// </summary>
    public static bool TryRefuse(CrontabConversion conversion, IReadOnlyList<Problem> problems, out CrontabConversion checkedConversion)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(problems);
        checkedConversion = conversion;
        var reasons = new SortedDictionary<int, List<string>>();
        foreach (var problem in problems)
        {
            if (!ApiField.TryParseListItem(problem.Field, "jobs", out var index, out var field) || index < 0 || index >= conversion.Jobs.Count)
            {
                return false;
            }

            if (!reasons.TryGetValue(index, out var list))
            {
                reasons[index] = list = [];
            }

            list.Add(field.Length == 0 ? problem.MessageIn(CrontabFields.Of) : $"{CrontabFields.Of(field)}: {problem.MessageIn(CrontabFields.Of)}");
        }

        var refused = reasons.Select(r => (Job: conversion.Jobs[r.Key], Reason: string.Join(" ", r.Value)));
        checkedConversion = conversion with
        {
            Jobs = conversion.Jobs.Where((_, i) => !reasons.ContainsKey(i)).ToList(),
            Skipped = conversion.Skipped.Concat(refused.Select(r => new CrontabSkip(r.Job.Line, r.Job.Text, r.Reason))).OrderBy(s => s.Line).ToList(),
        };
        return true;
    }

    /// <summary>The API's problems, each about a job named by its crontab line (<c>line 3: job 'fetch': -mem</c>).</summary>
    public static IReadOnlyList<Problem> ByLine(CrontabConversion conversion, IReadOnlyList<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Select(p => ApiField.TryParseListItem(p.Field, "jobs", out var index, out var field) && index >= 0 && index < conversion.Jobs.Count
            ? new Problem(FormattableString.Invariant($"line {conversion.Jobs[index].Line}: job '{conversion.Jobs[index].Request.Name}': {CrontabFields.Of(field)}"), p.MessageIn(CrontabFields.Of))
            : p).ToList();
    }
}
