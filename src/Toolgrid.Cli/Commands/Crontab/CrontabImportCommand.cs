using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Crontab;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Crontab;

/// <summary>
/// <c>toolgrid crontab import FILE [--dry-run]</c>: turn a grid-era crontab (<c>crontab -l</c>) into
/// the tool's jobs, showing what each line became and why the others could not.
/// </summary>
/// <remarks>
/// Import adds and replaces the jobs it converted and leaves the tool's other jobs alone (it is
/// not <c>jobs load</c>, which makes the tool's jobs match a file). The converted jobs go to the
/// API as one list (<c>keepOthers</c>): checked all at once, the quota counted for all of them,
/// and applied in one transaction, so one bad job, or one job too many, changes nothing. The dry
/// run sends the same list, and says what the real import would do.
/// </remarks>
internal sealed class CrontabImportCommand : CliCommand
{
    private readonly Argument<string> _file = new("FILE") { Description = "The crontab ('crontab -l > FILE', or '-' for standard input)." };

    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Only show what the lines become and what would be added or replaced." };

    public CrontabImportCommand(CommandHost host)
        : base("import", "Turn a grid-era crontab into jobs: jsub, jstart, qcronsub, jlocal and plain commands on a schedule. The tool's other jobs are kept.", host)
    {
        Add(_file);
        Add(_dryRun);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        problems.ThrowIfAny();

        var (_, text) = await InputFile.ReadAsync(cli, cli.Parse.GetValue(_file)!, cancellationToken);
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var home = (await cli.Client.GetToolAsync(tool, cancellationToken)).Home;
        var conversion = CrontabConverter.Convert(text, new CrontabContext
        {
            Home = home,
            FileExists = File.Exists,
            IsDirectory = Directory.Exists,
        });
        var dryRun = cli.Parse.GetValue(_dryRun);
        (conversion, var checkedPlan) = await CheckAsync(cli, tool, conversion, cancellationToken);

        if (!cli.Json)
        {
            foreach (var warning in conversion.Warnings)
            {
                cli.Note(ErrorOutput.WarningPrefix + warning);
            }

            CrontabOutput.Write(cli.Console, conversion);
        }

        if (conversion.Jobs.Count == 0)
        {
            if (cli.Json)
            {
                cli.WriteJson(new CrontabImportReport(conversion.Jobs, conversion.Skipped, conversion.Warnings, false, []), CrontabJsonContext.Output.CrontabImportReport);
            }
            else
            {
                cli.Say("Nothing to import: no line became a job.");
            }

            return conversion.Skipped.Count > 0 ? ExitCodes.Refused : ExitCodes.Ok;
        }

        // One request: the API checks every job and the quota for the whole list, then adds and
        // replaces them all in one transaction, or changes nothing. A dry run is the same request.
        var jobs = conversion.Jobs.Select(j => j.Request).ToList();
        var result = dryRun && checkedPlan is not null
            ? checkedPlan
            : await ApplyAsync(cli, tool, new JobsApplyRequest { Jobs = jobs, KeepOthers = true, DryRun = dryRun ? true : null }, conversion, cancellationToken);
        var plan = result.Plan.ToList();
        var warnings = result.Warnings.ToList();

        if (cli.Json)
        {
            cli.WriteJson(new CrontabImportReport(conversion.Jobs, conversion.Skipped, [.. conversion.Warnings, .. warnings], !dryRun, plan), CrontabJsonContext.Output.CrontabImportReport);
            return ExitCodes.Ok;
        }

        foreach (var warning in warnings)
        {
            cli.Note(ErrorOutput.WarningPrefix + warning);
        }

        cli.Say("");
        PlanOutput.Write(cli.Console, plan);
        cli.Say(PlanOutput.Summary(tool, plan, applied: !dryRun).TrimEnd('.') + "; its other jobs are kept.");
        if (conversion.Skipped.Count > 0)
        {
            cli.Say($"{conversion.Skipped.Count} line{(conversion.Skipped.Count == 1 ? " was" : "s were")} not converted (see above): leave {(conversion.Skipped.Count == 1 ? "it" : "them")} in the crontab, or make jobs of them by hand.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Has the API check the converted jobs (a dry run of the same list): the lines of the jobs it
    /// refuses join the lines not converted, and the others go on. Returns the plan when all passed.
    /// </summary>
    private static async Task<(CrontabConversion Conversion, JobsApplyResult? Plan)> CheckAsync(CliInvocation cli, string tool, CrontabConversion conversion, CancellationToken cancellationToken)
    {
        if (conversion.Jobs.Count == 0)
        {
            return (conversion, null);
        }

        try
        {
            var request = new JobsApplyRequest { Jobs = conversion.Jobs.Select(j => j.Request).ToList(), KeepOthers = true, DryRun = true };
            return (conversion, await cli.Client.ApplyJobsAsync(tool, request, cancellationToken));
        }
        catch (ToolgridApiException e) when (e.Errors.Count > 0)
        {
            return CrontabCheck.TryRefuse(conversion, e.Errors, out var checkedConversion)
                ? (checkedConversion, null)
                : throw new ToolgridApiException(e.StatusCode, e.Problem with { Errors = CrontabCheck.ByLine(conversion, e.Errors) });
        }
    }

    /// <summary>Applies, naming the API's problems (<c>jobs[2].mem</c>) by crontab line.</summary>
    private static async Task<JobsApplyResult> ApplyAsync(CliInvocation cli, string tool, JobsApplyRequest request, CrontabConversion conversion, CancellationToken cancellationToken)
    {
        try
        {
            return await cli.Client.ApplyJobsAsync(tool, request, cancellationToken);
        }
        catch (ToolgridApiException e) when (e.Errors.Count > 0)
        {
            throw new ToolgridApiException(e.StatusCode, e.Problem with { Errors = CrontabCheck.ByLine(conversion, e.Errors) });
        }
    }
}
