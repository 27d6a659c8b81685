using System.CommandLine;
using Toolgrid.Cli.JobsFile;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs dump [-o FILE]</c>: write the tool's jobs as a <c>jobs.yaml</c> that <c>jobs load</c> reads back unchanged.</summary>
internal sealed class JobDumpCommand : CliCommand
{
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Write to FILE instead of standard output (replacing it).", HelpName = "FILE" };

    public JobDumpCommand(CommandHost host)
        : base("dump", "Write the tool's jobs as a jobs.yaml, which 'jobs load' reads back.", host)
    {
        Add(_output);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        var output = cli.Parse.GetValue(_output);
        if (output is not null && string.IsNullOrWhiteSpace(output))
        {
            problems.Add("--output", "the file name is empty; leave -o out to write to standard output.");
        }

        problems.ThrowIfAny();
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var jobs = await cli.Client.ListJobsAsync(tool, cancellationToken);
        var declared = jobs.Where(JobDeclaration.IsDeclared).Select(JobDeclaration.FromView).ToList();
        var text = JobsFileWriter.ToText(declared, [$"The jobs of tool {tool}: load them with 'toolgrid jobs load FILE'."]);
        if (output is null)
        {
            await cli.Environment.Out.WriteAsync(text);
            await cli.Environment.Out.FlushAsync(cancellationToken);
            return ExitCodes.Ok;
        }

        var path = Path.GetFullPath(output, cli.Environment.CurrentDirectory);
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // Written aside and renamed, so that an interrupted dump never leaves half a file.
            await File.WriteAllTextAsync(temporary, text, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CommandFailedException($"cannot write {output}: {e.Message}");
        }

        var skipped = jobs.Count(j => j.Webservice is not null);
        cli.Note($"wrote {declared.Count} job{(declared.Count == 1 ? "" : "s")} of tool {tool} to {output}"
            + (skipped > 0 ? " (not the web service: 'toolgrid webservice' manages it)." : "."));
        return ExitCodes.Ok;
    }
}
