using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues request QUEUE --tool TOOL --reason TEXT</c>: a maintainer asks that a tool may use a dedicated queue.</summary>
internal sealed class QueueRequestCommand : CliCommand
{
    private readonly Argument<string> _queue = new("QUEUE") { Description = "The dedicated queue the tool needs." };

    private readonly Option<string?> _reason = new("--reason") { Description = "What the tool needs the queue for, for the admins who decide.", HelpName = "TEXT" };

    public QueueRequestCommand(CommandHost host)
        : base("request", "Ask the admins that a tool you maintain may use a dedicated queue (--tool, --reason).", host)
    {
        Add(_queue);
        Add(_reason);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var queue = cli.Parse.GetValue(_queue) ?? "";
        var request = await cli.Client.RequestQueueAsync(queue, new QueueRequestCreate { Tool = tool, Reason = cli.Parse.GetValue(_reason) }, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(request, CliJsonContext.Output.QueueRequestView);
        }
        else
        {
            cli.Say($"Asked for queue {request.Queue} for tool {request.Tool}. An admin answers; the tool's maintainers get a mail.");
        }

        return ExitCodes.Ok;
    }
}
