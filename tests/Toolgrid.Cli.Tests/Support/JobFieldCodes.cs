using System.Reflection;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Support;

/// <summary>Every field code of <see cref="JobFieldNames"/>, read from its constants so that a new one is found without being listed here.</summary>
internal static class JobFieldCodes
{
    /// <summary>The fields <c>jobs run</c> and <c>jobs.yaml</c> do not set: the kind follows from <c>continuous</c> and <c>schedule</c>, and the <c>webservice</c> command sets the rest.</summary>
    public static readonly IReadOnlySet<string> NotDeclaredByJobsRun = new HashSet<string>(StringComparer.Ordinal)
    {
        JobFieldNames.Kind, JobFieldNames.Webservice, JobFieldNames.AllowDotPaths,
    };

    public static IEnumerable<string> All =>
        typeof(JobFieldNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>The codes a user sets with a flag of <c>jobs run</c> and a key of <c>jobs.yaml</c>.</summary>
    public static TheoryData<string> DeclaredByJobsRun => [.. All.Where(c => !NotDeclaredByJobsRun.Contains(c))];
}
