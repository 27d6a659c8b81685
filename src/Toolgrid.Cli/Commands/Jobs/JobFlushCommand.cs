using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs flush</c>: delete every job of the tool.</summary>
internal sealed class JobFlushCommand : CliCommand
{
    public JobFlushCommand(CommandHost host)
        : base("flush", "Delete all of the tool's jobs; their runs are stopped.", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        problems.ThrowIfAny();

        var tool = await cli.ResolveToolAsync(cancellationToken);
        var jobs = await cli.Client.FlushJobsAsync(tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(jobs, CliJsonContext.Output.IReadOnlyListJobView);
        }
        else if (jobs.Count == 0)
        {
            cli.Say($"tool {tool} had no jobs; nothing deleted.");
        }
        else
        {
            cli.Say($"deleted {jobs.Count} job{(jobs.Count == 1 ? "" : "s")} of tool {tool}: {string.Join(", ", jobs.Select(j => j.Name))}; their runs are being stopped.");
        }

        return ExitCodes.Ok;
    }
}
