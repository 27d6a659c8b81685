namespace Toolgrid.Cli.Commands.Maintainers;

/// <summary><c>toolgrid maintainers …</c>: who may manage a tool.</summary>
internal sealed class MaintainersCommand : CommandGroup
{
    public MaintainersCommand(CommandHost host)
        : base("maintainers", "List, add and remove the maintainers of a tool.")
    {
        Add(new MaintainerListCommand(host));
        Add(new MaintainerAddCommand(host));
        Add(new MaintainerRemoveCommand(host));
    }
}
