using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs list</c>: the tool's jobs, each with its last run.</summary>
internal sealed class JobListCommand : CliCommand
{
    public JobListCommand(CommandHost host)
        : base("list", "List the tool's jobs, each with its status and last run.", host)
    {
        Aliases.Add("ls");
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var jobs = await cli.Client.ListJobsAsync(tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(jobs, CliJsonContext.Output.IReadOnlyListJobView);
        }
        else
        {
            JobOutput.WriteList(cli.Console, tool, jobs, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
