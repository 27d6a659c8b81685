namespace Toolgrid.Cli.Crontab;

/// <summary>A crontab line that could not become a job, and why (with what to do instead).</summary>
internal sealed record CrontabSkip(int Line, string Text, string Reason);
