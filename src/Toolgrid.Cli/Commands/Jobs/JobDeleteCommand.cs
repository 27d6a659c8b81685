using System.CommandLine;
using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs delete NAME</c>: delete a job; its runs are stopped.</summary>
internal sealed class JobDeleteCommand : CliCommand
{
    private readonly Argument<string> _name = JobNameArgument.Create();

    public JobDeleteCommand(CommandHost host)
        : base("delete", "Delete a job; its runs are stopped (SIGTERM, then SIGKILL after its grace period).", host)
    {
        Add(_name);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var name = JobNameArgument.Read(cli, _name);
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var job = await cli.Client.DeleteJobAsync(tool, name, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(job, CliJsonContext.Output.JobView);
        }
        else
        {
            cli.Say($"job {job.Name} of tool {tool} deleted; its runs are being stopped. Its log files are kept.");
        }

        return ExitCodes.Ok;
    }
}
