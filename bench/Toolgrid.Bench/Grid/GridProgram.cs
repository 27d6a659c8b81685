using Toolgrid.Bench.Report;

namespace Toolgrid.Bench.Grid;

/// <summary><c>toolgrid-bench --grid ENGINE</c>: runs the grid suite, prints its report and writes it into its own section of docs/benchmarks.md.</summary>
internal static class GridProgram
{
    public static Task<int> RunAsync(BenchOptions options, string repository, CancellationToken cancellationToken)
    {
        var run = new GridRun(options, repository);
        return SuiteProgram.RunAsync(options, repository, run.OutputDirectory, run.RunAsync, GridReport.Write, ("grid.md", GridReport.Begin, GridReport.End), cancellationToken);
    }
}
