using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs logs NAME [-f] [--stream S] [-n N]</c>: the tail of the job's log files, like <c>tail</c>.</summary>
internal sealed class JobLogsCommand : CliCommand
{
    private readonly Argument<string> _name = JobNameArgument.Create();

    private readonly Option<bool> _follow = new("--follow", "-f") { Description = "Keep printing as the files grow, until Ctrl-C." };

    private readonly Option<string?> _stream = new("--stream") { Description = "Which output: all, stdout or stderr (default all).", HelpName = "all|stdout|stderr" };

    private readonly Option<int?> _lines = WholeNumber.Option("--lines", "How many of the last lines of each file (default: the API's, 100).", "N", "-n");

    public JobLogsCommand(CommandHost host)
        : base("logs", "Print the last lines of the job's output files; -f follows them.", host)
    {
        Add(_name);
        Add(_follow);
        Add(_stream);
        Add(_lines);
    }

    /// <summary>The query to send; problems are added to <paramref name="problems"/>.</summary>
    public LogQuery ToQuery(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        JobName.Validate(parse.GetValue(_name), problems, "name");
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

        var name = cli.Parse.GetValue(_name)!;
        var tool = await cli.ResolveToolAsync(cancellationToken);
        try
        {
            await cli.Client.CopyLogsAsync(tool, name, query, cli.Environment.Out, cancellationToken);
        }
        catch (OperationCanceledException) when (query.Follow && cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how following ends.
        }

        return ExitCodes.Ok;
    }
}
