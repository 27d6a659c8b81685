using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs show NAME</c>: the job and its recent runs.</summary>
internal sealed class JobShowCommand : CliCommand
{
    private readonly Argument<string> _name = JobNameArgument.Create();

    public JobShowCommand(CommandHost host)
        : base("show", "Show a job and its recent runs: state, reason, exit code, times and node.", host)
    {
        Add(_name);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var name = JobNameArgument.Read(cli, _name);
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var job = await cli.Client.GetJobAsync(tool, name, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(job, CliJsonContext.Output.JobView);
        }
        else
        {
            JobOutput.WriteDetail(cli.Console, job, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
