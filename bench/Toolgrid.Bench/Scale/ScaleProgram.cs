using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Toolgrid.Bench.Report;
using Toolgrid.Store;

namespace Toolgrid.Bench.Scale;

/// <summary><c>toolgrid-bench --scale</c>: runs the scale suite, prints its report and writes it into its own section of docs/benchmarks.md.</summary>
internal static class ScaleProgram
{
    public static Task<int> RunAsync(BenchOptions options, string repository, CancellationToken cancellationToken)
    {
        if (options.ScaleSeedOnly is { } path)
        {
            return SeedOnlyAsync(options, path, cancellationToken);
        }

        var run = new ScaleRun(options, repository);
        return SuiteProgram.RunAsync(options, repository, run.OutputDirectory, run.RunAsync, ScaleReport.Write, ("scale.md", ScaleReport.Begin, ScaleReport.End), cancellationToken);
    }

    /// <summary>
    /// <c>--scale-seed-only FILE</c>: a new store at FILE, its schema from the store's migrations
    /// (as toolgridd makes it at start), seeded as the suite seeds it, kept for measuring by hand
    /// (start toolgridd with <c>--state-dir</c> its folder). The runs' node is this host's name.
    /// </summary>
    private static async Task<int> SeedOnlyAsync(BenchOptions options, string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"toolgrid-bench: {path} exists; --scale-seed-only makes a new store: remove it, or give another path");
            return 2;
        }

        var store = new StoreOptions { Path = Path.GetFullPath(path) };
        Directory.CreateDirectory(Path.GetDirectoryName(store.Path)!);
        var builder = new DbContextOptionsBuilder<ToolgridDbContext>();
        SqliteStore.Configure(builder, store);
        await using (var db = new ToolgridDbContext(builder.Options))
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        var shape = ScaleShape.WithRuns(options.ScaleRuns);
        var seed = new ScaleSeeder(shape, options.ScaleMaintainer, Environment.MachineName, TimeProvider.System.GetUtcNow()).Seed(store.Path);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"toolgrid-bench: seeded {store.Path}: {seed.Tools} tools, {seed.Jobs} jobs, {seed.Runs} runs in {seed.Elapsed.TotalSeconds:0.0} s, maintained by {options.ScaleMaintainer}"));
        return 0;
    }
}
