namespace Toolgrid.Cli.Crontab;

/// <summary>What a crontab became: its jobs, the lines that could not be converted, and warnings about settings (MAILTO…) that have no equal.</summary>
internal sealed record CrontabConversion(IReadOnlyList<CrontabJob> Jobs, IReadOnlyList<CrontabSkip> Skipped, IReadOnlyList<string> Warnings);
