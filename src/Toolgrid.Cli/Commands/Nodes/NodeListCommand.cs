using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Nodes;

/// <summary><c>toolgrid nodes list</c>: every node, its state, runs and drain.</summary>
internal sealed class NodeListCommand : CliCommand
{
    public NodeListCommand(CommandHost host)
        : base("list", "List the nodes: queues, state, slots, memory, load, runs, and what a drained node still waits on.", host)
    {
        Aliases.Add("ls");
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var nodes = await cli.Client.ListNodesAsync(cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(nodes, CliJsonContext.Output.IReadOnlyListNodeEntryView);
        }
        else
        {
            NodeOutput.WriteList(cli.Console, nodes, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
