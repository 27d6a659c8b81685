using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>toolgrid webservice status</c>: what the web service is doing, in words, with its address and replicas.</summary>
internal sealed class WebserviceStatusCommand : CliCommand
{
    public WebserviceStatusCommand(CommandHost host)
        : base("status", "Show the tool's web service: running, starting or crash-looping (and why), its address, and how many replicas are ready.", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var view = await cli.Client.GetWebserviceAsync(tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(view, CliJsonContext.Output.WebserviceView);
        }
        else
        {
            WebserviceOutput.WriteDetail(cli.Console, view);
        }

        return ExitCodes.Ok;
    }
}
