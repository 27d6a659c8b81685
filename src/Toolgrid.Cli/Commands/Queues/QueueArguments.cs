using System.CommandLine;
using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary>The QUEUE and TOOL arguments of <c>queues grant|revoke|deny</c>.</summary>
internal sealed class QueueArguments
{
    public Argument<string> Queue { get; } = new("QUEUE") { Description = "The queue's name." };

    public Argument<string> Tool { get; } = ToolNameArgument.Create("TOOL");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Queue);
        command.Add(Tool);
    }

    /// <summary>The queue and tool given, the tool's name checked before anything is sent.</summary>
    public (string Queue, string Tool) Read(ParseResult parse)
    {
        var problems = new Problems();
        var tool = ToolNameArgument.Read(parse, Tool, problems);
        var queue = parse.GetValue(Queue) ?? "";
        problems.ThrowIfAny();
        return (queue, tool);
    }
}
