using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues deny QUEUE TOOL --reason TEXT</c> (admins).</summary>
internal sealed class QueueDenyCommand : CliCommand
{
    private readonly QueueArguments _arguments = new();

    private readonly Option<string?> _reason = new("--reason") { Description = "Why, for the tool's maintainers.", HelpName = "TEXT" };

    public QueueDenyCommand(CommandHost host)
        : base("deny", "Refuse a tool's open request for a queue, saying why (admins); its maintainers get a mail.", host)
    {
        _arguments.AddTo(this);
        Add(_reason);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var (queue, tool) = _arguments.Read(cli.Parse);
        var request = await cli.Client.DenyQueueAsync(queue, tool, new QueueDenial { Reason = cli.Parse.GetValue(_reason) }, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(request, CliJsonContext.Output.QueueRequestView);
        }
        else
        {
            cli.Say($"Denied tool {request.Tool}'s request for queue {request.Queue}.");
        }

        return ExitCodes.Ok;
    }
}
