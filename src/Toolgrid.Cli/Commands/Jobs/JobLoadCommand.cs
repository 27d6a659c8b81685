using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.JobsFile;
using Toolgrid.Cli.Output;
using Toolgrid.Cli.Runs;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>
/// <c>toolgrid jobs load FILE [--dry-run] [--job NAME]</c>: make the tool's jobs match a
/// <c>jobs.yaml</c>: new jobs are added, changed ones replaced, and jobs not in the file deleted.
/// </summary>
/// <remarks>
/// The whole file is read and checked first. When it has problems, the API is asked too (a dry
/// run) for what only it can check, such as the tool's memory limits, and every problem of every
/// entry is reported at once, in the order of the file's lines (exit 2, nothing changed). The
/// server checks the file again as a whole, and one bad entry changes nothing. Its problems
/// (<c>jobs[3].mem</c>) are shown at their line in the file. Toolforge's <c>wait</c> makes the
/// load wait for that one-off job to finish.
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
            ? new Problem(file.FieldOf(index, field), p.MessageIn(JobsFileKeys.Spell))
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

        if (problems.Count > 0)
        {
            // What only the API can check (the tool's limits, its queues…) is reported with the
            // rest, rather than on the next attempt.
            await AddTheApisProblemsAsync(cli, file, problems, cancellationToken);
            InLineOrder(problems).ThrowIfAny();
        }

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
        }
        else
        {
            foreach (var warning in result.Warnings)
            {
                cli.Note(ErrorOutput.WarningPrefix + warning);
            }

            PlanOutput.Write(cli.Console, result.Plan);
            cli.Say(PlanOutput.Summary(tool, result.Plan, result.Applied));
        }

        return result.Applied ? await WaitAsync(cli, tool, file, result, cancellationToken) : ExitCodes.Ok;
    }

    /// <summary>
    /// Toolforge's <c>wait</c>: each one-off job of the file that has it, and that the load ran
    /// (added or replaced), is waited for in turn; the exit code is that of the first that did
    /// not succeed, as <c>jobs run --wait</c> would exit.
    /// </summary>
    private static async Task<int> WaitAsync(CliInvocation cli, string tool, JobsFileContent file, JobsApplyResult result, CancellationToken cancellationToken)
    {
        var ran = result.Plan.Where(s => s.Action is "add" or "replace").Select(s => s.Job).ToHashSet(StringComparer.Ordinal);
        var exitCode = ExitCodes.Ok;
        foreach (var entry in file.Entries.Where(e => e.Wait is not null && ran.Contains(e.Request.Name ?? "")))
        {
            var job = entry.Request.Name!;
            var limit = entry.Wait!.Value;
            cli.Note(FormattableString.Invariant($"job {job}: waiting up to {limit.TotalSeconds:0} s for it to finish (wait: in {file.FileName}; Ctrl-C stops waiting, not the job)."));
            using var timeout = new CancellationTokenSource(limit, cli.Environment.Time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var outcome = RunOutcome.Of(await cli.Client.WaitUntilFinishedAsync(tool, job, either.Token));
                cli.Note(outcome.Line);
                exitCode = exitCode == ExitCodes.Ok ? outcome.ExitCode : exitCode;
            }
            catch (OperationCanceledException) when (either.IsCancellationRequested)
            {
                var why = cancellationToken.IsCancellationRequested ? "stopped waiting" : FormattableString.Invariant($"not finished after {limit.TotalSeconds:0} s");
                cli.Note($"job {job}: {why}; it goes on. See how it ends with 'toolgrid jobs show {job}{cli.ToolFlag(tool)}'.");
                return WaitExitCode.WaitInterrupted;
            }
        }

        return exitCode;
    }

    /// <summary>Adds what the API finds wrong with the file (a dry run of it) to the problems found here; nothing when it cannot be asked.</summary>
    private static async Task AddTheApisProblemsAsync(CliInvocation cli, JobsFileContent file, Problems problems, CancellationToken cancellationToken)
    {
        // Only problems of the file's entries: with a bad --tool or --job there is nothing to ask.
        if (file.Entries.Count == 0 || problems.Any(p => !p.Field.StartsWith(file.FileName + ":", StringComparison.Ordinal)))
        {
            return;
        }

        try
        {
            var tool = await cli.ResolveToolAsync(cancellationToken);
            await cli.Client.ApplyJobsAsync(tool, new JobsApplyRequest { Jobs = file.Entries.Select(e => e.Request).ToList(), DryRun = true }, cancellationToken);
        }
        catch (ToolgridApiException e) when (e.Errors.Count > 0)
        {
            // One problem a field: where both found one, the local one (in the file's words) stays.
            problems.AddRange(InFileTerms(e, file).Errors);
        }
        catch (Exception e) when (e is ToolgridApiException or ApiUnreachableException or CommandFailedException or ValidationException)
        {
            // The API cannot say more now; what was found here is reported.
        }
    }

    /// <summary>The problems in the order of the file's lines (those about no line first).</summary>
    private static Problems InLineOrder(Problems problems)
    {
        var sorted = new Problems();
        sorted.AddRange(problems.Select((p, i) => (Problem: p, Order: i)).OrderBy(x => JobsFileContent.LineOf(x.Problem.Field)).ThenBy(x => x.Order).Select(x => x.Problem));
        return sorted;
    }
}
