namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools …</c>: tool accounts.</summary>
internal sealed class ToolsCommand : CommandGroup
{
    public ToolsCommand(CommandHost host)
        : base("tools", "Create, list, show, change and delete tools.")
    {
        Add(new ToolCreateCommand(host));
        Add(new ToolListCommand(host));
        Add(new ToolShowCommand(host));
        Add(new ToolDeleteCommand(host));
        Add(new ToolLimitsCommand(host));
        Add(new ToolSetCommand(host));
    }
}
