using System.CommandLine;
using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Nodes;

/// <summary><c>toolgrid nodes resume NODE</c> (admins): lifts a drain.</summary>
internal sealed class NodeResumeCommand : CliCommand
{
    private readonly Argument<string> _node = NodeArgument.Create();

    public NodeResumeCommand(CommandHost host)
        : base("resume", "Lift a node's drain (admins): it takes new runs again.", host)
    {
        Add(_node);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var node = await cli.Client.ResumeNodeAsync(cli.Parse.GetValue(_node) ?? "", cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(node, CliJsonContext.Output.NodeEntryView);
        }
        else
        {
            cli.Say($"node {node.Name} resumed: it takes new runs again.");
        }

        return ExitCodes.Ok;
    }
}
