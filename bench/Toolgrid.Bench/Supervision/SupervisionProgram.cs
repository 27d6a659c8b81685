using Toolgrid.Bench.Report;

namespace Toolgrid.Bench.Supervision;

/// <summary><c>toolgrid-bench --supervision</c>: runs the suite, prints its report and writes it into its own section of docs/benchmarks.md.</summary>
internal static class SupervisionProgram
{
    public static Task<int> RunAsync(BenchOptions options, string repository, CancellationToken cancellationToken)
    {
        var run = new SupervisionRun(options, repository);
        return SuiteProgram.RunAsync(options, repository, run.OutputDirectory, run.RunAsync, SupervisionReport.Write, ("supervision.md", SupervisionReport.Begin, SupervisionReport.End), cancellationToken);
    }
}
