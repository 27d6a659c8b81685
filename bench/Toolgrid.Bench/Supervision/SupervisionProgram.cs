using Toolgrid.Bench.Report;

namespace Toolgrid.Bench.Supervision;

/// <summary><c>toolgrid-bench --supervision</c>: runs the suite, prints its report and writes it into its own section of docs/benchmarks.md.</summary>
internal static class SupervisionProgram
{
    public static async Task<int> RunAsync(BenchOptions options, string repository, CancellationToken cancellationToken)
    {
        var run = new SupervisionRun(options, repository);
        SupervisionResults results;
        try
        {
            results = await run.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("toolgrid-bench: interrupted; what it made has been removed.");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or FileNotFoundException or Toolgrid.Cli.Api.ToolgridApiException or Toolgrid.Cli.Api.ApiUnreachableException)
        {
            await Console.Error.WriteLineAsync($"toolgrid-bench: failed: {e}");
            return 1;
        }

        var markdown = SupervisionReport.Write(results);
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(run.OutputDirectory, "supervision.md"), markdown, CancellationToken.None);
        if (options.WriteDocs)
        {
            var docs = options.Docs ?? Path.Combine(repository, "docs", "benchmarks.md");
            DocsWriter.Update(docs, markdown, SupervisionReport.Begin, SupervisionReport.End);
            await Console.Error.WriteLineAsync($"toolgrid-bench: results written to {docs}");
        }

        return 0;
    }
}
