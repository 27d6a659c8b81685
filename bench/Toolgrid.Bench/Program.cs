using Toolgrid.Bench;
using Toolgrid.Bench.Native;
using Toolgrid.Bench.Report;

var options = BenchOptions.Parse(args, out var error);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (error is not null)
{
    await Console.Error.WriteLineAsync($"toolgrid-bench: {error}\n\n{BenchOptions.Usage}");
    return 2;
}

if (Posix.EffectiveUid() != 0)
{
    await Console.Error.WriteLineAsync("toolgrid-bench: run it as root (sudo bench/run.sh): toolgridd makes Unix users and cgroups for the bench tool.");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Cleaned up on the way out, like a failure.
    e.Cancel = true;
    cancel.Cancel();
};

var repository = RepositoryRoot();
if (options.Supervision)
{
    return await Toolgrid.Bench.Supervision.SupervisionProgram.RunAsync(options, repository, cancel.Token);
}

if (options.GridEngines.Count > 0)
{
    return await Toolgrid.Bench.Grid.GridProgram.RunAsync(options, repository, cancel.Token);
}

if (options.Scale)
{
    return await Toolgrid.Bench.Scale.ScaleProgram.RunAsync(options, repository, cancel.Token);
}

if (options.Idle)
{
    return await Toolgrid.Bench.Supervision.IdleScenario.RunAsync(options, repository, cancel.Token);
}

var run = new BenchRun(options, repository);
return await SuiteProgram.RunAsync(
    options,
    repository,
    run.OutputDirectory,
    run.RunAsync,
    options.AtRestOnly ? MarkdownReport.WriteAtRest : MarkdownReport.Write,
    ("results.md", DocsWriter.Begin, DocsWriter.End),
    cancel.Token);

static string RepositoryRoot()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolgrid.slnx")))
            {
                return directory.FullName;
            }
        }
    }

    throw new InvalidOperationException("Toolgrid.slnx not found above " + AppContext.BaseDirectory);
}
