namespace Toolgrid.Bench.Report;

/// <summary>A suite of its own (<c>--supervision</c>, <c>--grid</c>): runs it, prints its report, keeps it in the output directory and writes it into its own section of docs/benchmarks.md.</summary>
internal static class SuiteProgram
{
    /// <summary>The run, its report as Markdown, the report's file name in the output directory, and the section's markers.</summary>
    public static async Task<int> RunAsync<TResults>(
        BenchOptions options,
        string repository,
        string outputDirectory,
        Func<CancellationToken, Task<TResults>> run,
        Func<TResults, string> write,
        (string File, string Begin, string End) report,
        CancellationToken cancellationToken)
    {
        TResults results;
        try
        {
            results = await run(cancellationToken);
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

        var markdown = write(results);
        Console.WriteLine(markdown);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, report.File), markdown, CancellationToken.None);
        if (options.WriteDocs)
        {
            var docs = options.Docs ?? Path.Combine(repository, "docs", "benchmarks.md");
            DocsWriter.Update(docs, markdown, report.Begin, report.End);
            await Console.Error.WriteLineAsync($"toolgrid-bench: results written to {docs}");
        }

        return 0;
    }
}
