using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools delete NAME [--yes]</c>: disable a tool; its runs stop, its files stay.</summary>
/// <remarks>
/// Asks on a terminal unless <c>--yes</c>. Off a terminal (a script, a crontab) it refuses
/// without <c>--yes</c> rather than guess: deleting a tool stops everything it runs.
/// </remarks>
internal sealed class ToolDeleteCommand : CliCommand
{
    private readonly Argument<string> _name = ToolNameArgument.Create();

    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask for confirmation." };

    public ToolDeleteCommand(CommandHost host)
        : base("delete", "Delete a tool: its jobs are stopped and it can run nothing more; its files are kept.", host)
    {
        Add(_name);
        Add(_yes);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var name = ToolNameArgument.Read(cli.Parse, _name, problems);
        problems.ThrowIfAny();

        if (!cli.Parse.GetValue(_yes) && !await ConfirmAsync(cli, name, cancellationToken))
        {
            cli.Note($"tool {name} not deleted.");
            return ExitCodes.Refused;
        }

        var tool = await cli.Client.DeleteToolAsync(name, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(tool, CliJsonContext.Output.ToolView);
        }
        else
        {
            cli.Say($"tool {tool.Name} deleted: its jobs are being stopped and it can run nothing more. Its files in {tool.Home} are kept.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<bool> ConfirmAsync(CliInvocation cli, string name, CancellationToken cancellationToken)
    {
        var environment = cli.Environment;
        if (!environment.InIsTerminal || !environment.ErrorIsTerminal)
        {
            throw new CommandFailedException(
                ExitCodes.Usage,
                $"not deleting tool {name} without confirmation: not on a terminal, so pass --yes to confirm.");
        }

        await environment.Error.WriteAsync($"Delete tool {name}? Its jobs will be stopped and it can run nothing more; its files are kept. [y/N] ");
        await environment.Error.FlushAsync(cancellationToken);
        var answer = await environment.In.ReadLineAsync(cancellationToken);
        return answer?.Trim().ToUpperInvariant() is "Y" or "YES";
    }
}
