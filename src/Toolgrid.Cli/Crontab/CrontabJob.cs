using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Crontab;

/// <summary>A crontab line that became a job.</summary>
/// <param name="Line">Its number in the file, from 1.</param>
/// <param name="Text">The line as written.</param>
/// <param name="Request">The job: scheduled, or continuous for a <c>jstart</c> the crontab kept up.</param>
/// <param name="Notes">What changed on the way, each a sentence.</param>
internal sealed record CrontabJob(int Line, string Text, JobRunRequest Request, IReadOnlyList<string> Notes);
