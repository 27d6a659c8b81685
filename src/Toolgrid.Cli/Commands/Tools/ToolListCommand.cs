using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools list [--all]</c>.</summary>
internal sealed class ToolListCommand : CliCommand
{
    private readonly Option<bool> _all = new("--all") { Description = "Include deleted tools." };

    public ToolListCommand(CommandHost host)
        : base("list", "List the tools.", host)
    {
        Aliases.Add("ls");
        Add(_all);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tools = await cli.Client.ListToolsAsync(cli.Parse.GetValue(_all), cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(tools, CliJsonContext.Output.IReadOnlyListToolView);
        }
        else
        {
            ToolOutput.WriteList(cli.Console, tools, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
