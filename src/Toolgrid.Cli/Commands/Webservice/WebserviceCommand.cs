namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>toolgrid webservice …</c>: the tool's web service, which the front proxy routes its site to.</summary>
internal sealed class WebserviceCommand : CommandGroup
{
    public WebserviceCommand(CommandHost host)
        : base("webservice", "Run the tool's web service behind the front proxy, and see how it does (for the tool given by --tool, or the tool you are).")
    {
        Add(new WebserviceStartCommand(host));
        Add(new WebserviceStopCommand(host));
        Add(new WebserviceRestartCommand(host));
        Add(new WebserviceStatusCommand(host));
        Add(new WebserviceLogsCommand(host));
    }
}
