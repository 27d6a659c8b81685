using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Crontab;

/// <summary>What <c>crontab import --json</c> prints: the conversion, and what applying it did (or would do).</summary>
internal sealed record CrontabImportReport(
    IReadOnlyList<CrontabJob> Jobs,
    IReadOnlyList<CrontabSkip> NotConverted,
    IReadOnlyList<string> Warnings,
    bool Applied,
    IReadOnlyList<JobPlanStep> Plan);
