using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues requests</c> (admins): the open requests for queues.</summary>
internal sealed class QueueRequestsCommand : CliCommand
{
    public QueueRequestsCommand(CommandHost host)
        : base("requests", "List the open requests for queues (admins).", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var requests = await cli.Client.ListQueueRequestsAsync(cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(requests, CliJsonContext.Output.IReadOnlyListQueueRequestView);
        }
        else
        {
            QueueOutput.WriteRequests(cli.Console, requests, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
