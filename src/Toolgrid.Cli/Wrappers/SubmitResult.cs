using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Wrappers;

/// <summary>The job a submission declares.</summary>
/// <param name="Request">The job.</param>
/// <param name="GridName">Its name as the grid-era tools knew it (<c>-N</c> as typed, or the program's basename).</param>
/// <param name="Notes">What was accepted but changed or ignored, each a sentence.</param>
internal sealed record SubmitResult(JobRunRequest Request, string GridName, IReadOnlyList<string> Notes);
