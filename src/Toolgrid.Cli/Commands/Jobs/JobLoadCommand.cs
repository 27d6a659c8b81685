using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.JobsFile;
using Toolgrid.Cli.Output;
using Toolgrid.Core.Api;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>
/// <c>toolgrid jobs load FILE [--dry-run] [--job NAME]</c>: make the tool's jobs match a
/// <c>jobs.yaml</c>: new jobs are added, changed ones replaced, and jobs not in the file deleted.
/// </summary>
/// <remarks>
/// The whole file is read and checked first, and every problem of every entry is reported at
/// once (exit 2, nothing sent); the server checks it again as a whole, and one bad entry
/// changes nothing. Its problems (<c>jobs[3].mem</c>) are shown at their line in the file.
/// </remarks>
internal sealed class JobLoadCommand : CliCommand
{
    private readonly Argument<string> _file = new("FILE") { Description = "The jobs.yaml to load ('-' for standard input)." };

    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Only show what would be added, replaced and deleted." };

    private readonly Option<string?> _job = new("--job") { Description = "Load this one job of the file, and touch no other.", HelpName = "NAME" };

    public JobLoadCommand(CommandHost host)
        : base("load", "Make the tool's jobs match a jobs.yaml: add new jobs, replace changed ones, delete the others.", host)
    {
        Add(_file);
        Add(_dryRun);
        Add(_job);
    }

    /// <summary>The API's problems about <c>jobs[i].field</c>, named as the file's lines and keys.</summary>
    public static ToolgridApiException InFileTerms(ToolgridApiException refusal, JobsFileContent file)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(file);
        if (refusal.Errors.Count == 0)
        {
            return refusal;
        }

        var errors = refusal.Errors.Select(p => ApiField.TryParseListItem(p.Field, "jobs", out var index, out var field)
            ? new Problem(file.FieldOf(index, field), p.Message)
            : p).ToList();
        return new ToolgridApiException(refusal.StatusCode, refusal.Problem with { Errors = errors });
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        var only = cli.Parse.GetValue(_job);
        if (only is not null)
        {
            JobName.Validate(only, problems, "--job");
        }

        var (name, text) = await InputFile.ReadAsync(cli, cli.Parse.GetValue(_file)!, cancellationToken);
        var file = JobsFileReader.Read(new StringReader(text), name, problems);
        if (only is not null && problems.Count == 0 && !file.Entries.Any(e => e.Request.Name == only))
        {
            problems.Add("--job", $"{name} has no job named '{only}'; its jobs are: {string.Join(", ", file.Entries.Select(e => e.Request.Name))}.");
        }

        problems.ThrowIfAny();
        foreach (var warning in file.Warnings)
        {
            cli.Note(ErrorOutput.WarningPrefix + warning);
        }

        var dryRun = cli.Parse.GetValue(_dryRun);
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var request = new JobsApplyRequest
        {
            Jobs = file.Entries.Select(e => e.Request).ToList(),
            DryRun = dryRun ? true : null,
            Only = only,
        };
        JobsApplyResult result;
        try
        {
            result = await cli.Client.ApplyJobsAsync(tool, request, cancellationToken);
        }
        catch (ToolgridApiException e) when (e.Errors.Count > 0)
        {
            throw InFileTerms(e, file);
        }

        if (cli.Json)
        {
            cli.WriteJson(result with { Warnings = [.. file.Warnings, .. result.Warnings] }, CliJsonContext.Output.JobsApplyResult);
            return ExitCodes.Ok;
        }

        foreach (var warning in result.Warnings)
        {
            cli.Note(ErrorOutput.WarningPrefix + warning);
        }

        PlanOutput.Write(cli.Console, result.Plan);
        cli.Say(PlanOutput.Summary(tool, result.Plan, result.Applied));
        return ExitCodes.Ok;
    }
}
