using System.CommandLine;
using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Maintainers;

/// <summary><c>toolgrid maintainers list TOOL</c>.</summary>
internal sealed class MaintainerListCommand : CliCommand
{
    private readonly Argument<string> _tool = ToolNameArgument.Create("TOOL");

    public MaintainerListCommand(CommandHost host)
        : base("list", "List the maintainers of a tool.", host)
    {
        Aliases.Add("ls");
        Add(_tool);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var tool = ToolNameArgument.Read(cli.Parse, _tool, problems);
        problems.ThrowIfAny();

        var maintainers = await cli.Client.ListMaintainersAsync(tool, cancellationToken);
        MaintainerChange.Write(cli, maintainers);
        return ExitCodes.Ok;
    }
}
