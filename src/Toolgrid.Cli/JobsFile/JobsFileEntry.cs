using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.JobsFile;

/// <summary>One job of a <c>jobs.yaml</c>: the request it becomes, and where it is written, so that the server's problems can point back at the file.</summary>
/// <param name="Index">Its place in the list, from 0 (the API's <c>jobs[i]</c>).</param>
/// <param name="Line">The line it starts on.</param>
/// <param name="Request">The job it declares.</param>
/// <param name="KeyLines">The line of each key given, by API field.</param>
/// <param name="Wait">Toolforge's <c>wait</c>: how long <c>jobs load</c> waits for this one-off job to finish; null not to wait.</param>
internal sealed record JobsFileEntry(int Index, int Line, JobRunRequest Request, IReadOnlyDictionary<string, int> KeyLines, TimeSpan? Wait = null);
