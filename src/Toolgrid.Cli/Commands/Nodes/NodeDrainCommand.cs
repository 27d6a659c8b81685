using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Commands.Nodes;

/// <summary><c>toolgrid nodes drain NODE --reason TEXT</c> (admins): no new runs go to the node; continuous jobs move off it one at a time.</summary>
internal sealed class NodeDrainCommand : CliCommand
{
    private readonly Argument<string> _node = NodeArgument.Create();

    private readonly Option<string?> _reason = new("--reason") { Description = "Why, for the other admins and the tools' maintainers (one line, at most 200 characters).", HelpName = "TEXT" };

    public NodeDrainCommand(CommandHost host)
        : base("drain", "Drain a node (admins): no new runs go there; continuous jobs move to other nodes one at a time; other runs finish where they are.", host)
    {
        Add(_node);
        Add(_reason);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var node = await cli.Client.DrainNodeAsync(cli.Parse.GetValue(_node) ?? "", new NodeDrainRequest { Reason = cli.Parse.GetValue(_reason) }, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(node, CliJsonContext.Output.NodeEntryView);
        }
        else
        {
            cli.Say($"node {node.Name} drained: no new runs go there; its continuous jobs move off it one at a time. 'toolgrid nodes list' shows what it still waits on.");
            NodeOutput.WriteList(cli.Console, [node], cli.Times);
        }

        return ExitCodes.Ok;
    }
}
