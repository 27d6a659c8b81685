using Toolgrid.Bench.Report;

namespace Toolgrid.Bench.Scale;

/// <summary><c>toolgrid-bench --scale</c>: runs the scale suite, prints its report and writes it into its own section of docs/benchmarks.md.</summary>
internal static class ScaleProgram
{
    public static Task<int> RunAsync(BenchOptions options, string repository, CancellationToken cancellationToken)
    {
        var run = new ScaleRun(options, repository);
        return SuiteProgram.RunAsync(options, repository, run.OutputDirectory, run.RunAsync, ScaleReport.Write, ("scale.md", ScaleReport.Begin, ScaleReport.End), cancellationToken);
    }
}
