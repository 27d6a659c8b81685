using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools show NAME</c>.</summary>
internal sealed class ToolShowCommand : CliCommand
{
    private readonly Argument<string> _name = ToolNameArgument.Create();

    public ToolShowCommand(CommandHost host)
        : base("show", "Show a tool: its Unix user, home, maintainers, limits and jobs.", host)
    {
        Add(_name);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var name = ToolNameArgument.Read(cli.Parse, _name, problems);
        problems.ThrowIfAny();

        var tool = await cli.Client.GetToolAsync(name, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(tool, CliJsonContext.Output.ToolView);
        }
        else
        {
            ToolOutput.WriteDetail(cli.Console, tool, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
