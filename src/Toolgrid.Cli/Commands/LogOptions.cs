using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Logs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands;

/// <summary>The options of a log tail, <c>[-f] [--stream S] [-n N]</c>, as <c>jobs logs</c> and <c>webservice logs</c> both take them.</summary>
internal sealed class LogOptions
{
    private readonly Option<bool> _follow = new("--follow", "-f") { Description = "Keep printing as the files grow, until Ctrl-C." };

    private readonly Option<string?> _stream = new("--stream")
    {
        Description = $"Which output: {LogTail.All}, {LogTail.Stdout} or {LogTail.Stderr} (default {LogTail.All}).",
        HelpName = $"{LogTail.All}|{LogTail.Stdout}|{LogTail.Stderr}",
    };

    private readonly Option<int?> _lines = WholeNumber.Option("--lines", $"How many of the last lines of each file (default {LogTail.DefaultLines}).", "N", "-n");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(_follow);
        command.Add(_stream);
        command.Add(_lines);
    }

    /// <summary>The query to send; problems are added to <paramref name="problems"/>.</summary>
    public LogQuery ToQuery(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var stream = parse.GetValue(_stream);
        var lines = parse.GetValue(_lines);
        LogTail.Validate(stream, lines, problems);
        return new LogQuery(stream, lines, parse.GetValue(_follow));
    }
}
