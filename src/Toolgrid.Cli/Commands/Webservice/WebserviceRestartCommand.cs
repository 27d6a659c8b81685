using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>toolgrid webservice restart</c>: replace the web service's replicas, one at a time.</summary>
internal sealed class WebserviceRestartCommand : CliCommand
{
    public WebserviceRestartCommand(CommandHost host)
        : base("restart", "Restart the tool's web service: its replicas are replaced one at a time, each getting traffic once its health check passes.", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var view = await cli.Client.RestartWebserviceAsync(tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(view, CliJsonContext.Output.WebserviceView);
        }
        else
        {
            cli.Say($"web service of tool {tool}: its replicas are being replaced, one at a time.");
            cli.Say($"  see how it does:  toolgrid webservice status{cli.ToolFlag(tool)}");
        }

        return ExitCodes.Ok;
    }
}
