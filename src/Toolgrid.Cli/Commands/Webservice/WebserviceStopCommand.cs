using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>toolgrid webservice stop</c>: stop the tool's web service; the proxy goes back to its <c>public_html</c> or default page.</summary>
internal sealed class WebserviceStopCommand : CliCommand
{
    public WebserviceStopCommand(CommandHost host)
        : base("stop", "Stop the tool's web service: its replicas leave the proxy and are stopped; the proxy then serves ~/public_html, or the tool's default page.", host)
    {
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var view = await cli.Client.StopWebserviceAsync(tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(view, CliJsonContext.Output.WebserviceView);
        }
        else
        {
            cli.Say($"web service of tool {tool}: {view.Status}.");
            foreach (var url in view.Urls)
            {
                cli.Say($"  {url} now shows the tool's ~/public_html, or its default page.");
            }
        }

        return ExitCodes.Ok;
    }
}
