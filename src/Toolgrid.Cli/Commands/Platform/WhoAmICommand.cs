using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Platform;

/// <summary><c>toolgrid whoami</c>: who the API takes you for, and which tools you maintain.</summary>
internal sealed class WhoAmICommand : CliCommand
{
    public WhoAmICommand(CommandHost host)
        : base("whoami", "Show who the API takes you for, and the tools you maintain.", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var me = await cli.Client.WhoAmIAsync(cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(me, CliJsonContext.Output.WhoAmIView);
        }
        else
        {
            StatusOutput.WriteWhoAmI(cli.Console, me);
        }

        return ExitCodes.Ok;
    }
}
