using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues list</c>: each queue's nodes, slots, state and the tools that may use it.</summary>
internal sealed class QueueListCommand : CliCommand
{
    public QueueListCommand(CommandHost host)
        : base("list", "List the queues: their nodes, slots used and total, state, and the tools that may use them.", host)
    {
        Aliases.Add("ls");
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var queues = await cli.Client.ListQueuesAsync(cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(queues, CliJsonContext.Output.IReadOnlyListQueueView);
        }
        else
        {
            QueueOutput.WriteList(cli.Console, queues);
        }

        return ExitCodes.Ok;
    }
}
