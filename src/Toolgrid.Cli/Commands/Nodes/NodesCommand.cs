namespace Toolgrid.Cli.Commands.Nodes;

/// <summary><c>toolgrid nodes …</c>: the execution nodes; admins drain and resume them.</summary>
internal sealed class NodesCommand : CommandGroup
{
    public NodesCommand(CommandHost host)
        : base("nodes", "List the execution nodes; admins drain a node (no new runs go there) and resume it.")
    {
        Add(new NodeListCommand(host));
        Add(new NodeDrainCommand(host));
        Add(new NodeResumeCommand(host));
    }
}
