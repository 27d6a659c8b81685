using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs logs NAME [-f] [--stream S] [-n N]</c>: the tail of the job's log files, like <c>tail</c>.</summary>
internal sealed class JobLogsCommand : CliCommand
{
    private readonly Argument<string> _name = JobNameArgument.Create();

    private readonly LogOptions _log = new();

    public JobLogsCommand(CommandHost host)
        : base("logs", "Print the last lines of the job's output files; -f follows them.", host)
    {
        Add(_name);
        _log.AddTo(this);
    }

    /// <summary>The query to send; problems are added to <paramref name="problems"/>.</summary>
    public LogQuery ToQuery(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        JobName.Validate(parse.GetValue(_name), problems, "name");
        return _log.ToQuery(parse, problems);
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
