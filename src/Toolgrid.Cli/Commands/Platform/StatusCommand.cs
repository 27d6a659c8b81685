using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Platform;

/// <summary><c>toolgrid status</c>: the platform at a glance; says plainly when tools are not isolated.</summary>
internal sealed class StatusCommand : CliCommand
{
    public StatusCommand(CommandHost host)
        : base("status", "Show the platform's state: mode, roles, backend, nodes, counts and warnings.", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var status = await cli.Client.GetStatusAsync(cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(status, CliJsonContext.Output.StatusView);
        }
        else
        {
            StatusOutput.WriteStatus(cli.Console, status, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
