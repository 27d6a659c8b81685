using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>toolgrid webservice logs [-f] [--stream S] [-n N]</c>: the web service job's log files, as <c>jobs logs webservice</c> prints them.</summary>
internal sealed class WebserviceLogsCommand : CliCommand
{
    /// <summary>The name of a tool's web service job, whose logs these are.</summary>
    public const string JobName = "webservice";

    private readonly Option<bool> _follow = new("--follow", "-f") { Description = "Keep printing as the files grow, until Ctrl-C." };

    private readonly Option<string?> _stream = new("--stream") { Description = "Which output: all, stdout or stderr (default all).", HelpName = "all|stdout|stderr" };

    private readonly Option<int?> _lines = WholeNumber.Option("--lines", "How many of the last lines of each file (default: the API's, 100).", "N", "-n");

    public WebserviceLogsCommand(CommandHost host)
        : base("logs", "Print the last lines of the web service's output (all its replicas); -f follows them.", host)
    {
        Add(_follow);
        Add(_stream);
        Add(_lines);
    }

    /// <summary>The query to send; problems are added to <paramref name="problems"/>.</summary>
    public LogQuery ToQuery(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var stream = parse.GetValue(_stream);
        if (stream is not null and not "all" and not "stdout" and not "stderr")
        {
            problems.Add("stream", $"'{stream}' is not a stream: use all, stdout or stderr.");
        }

        var lines = parse.GetValue(_lines);
        if (lines is < 0)
        {
            problems.Add("lines", $"the number of lines cannot be negative; got {lines}.");
        }

        return new LogQuery(stream, lines, parse.GetValue(_follow));
    }

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
