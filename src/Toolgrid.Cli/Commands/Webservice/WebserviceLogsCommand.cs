using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>toolgrid webservice logs [-f] [--stream S] [-n N]</c>: the web service job's log files, as <c>jobs logs webservice</c> prints them.</summary>
internal sealed class WebserviceLogsCommand : CliCommand
{
    /// <summary>The name of a tool's web service job, whose logs these are.</summary>
    public const string JobName = "webservice";

    private readonly LogOptions _log = new();

    public WebserviceLogsCommand(CommandHost host)
        : base("logs", "Print the last lines of the web service's output (all its replicas); -f follows them.", host)
    {
        _log.AddTo(this);
    }

    /// <summary>The query to send; problems are added to <paramref name="problems"/>.</summary>
    public LogQuery ToQuery(ParseResult parse, Problems problems) => _log.ToQuery(parse, problems);

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        var query = ToQuery(cli.Parse, problems);
        problems.ThrowIfAny();

        var tool = await cli.ResolveToolAsync(cancellationToken);
        try
        {
            await cli.Client.CopyLogsAsync(tool, JobName, query, cli.Environment.Out, cancellationToken);
        }
        catch (OperationCanceledException) when (query.Follow && cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how following ends.
        }

        return ExitCodes.Ok;
    }
}
