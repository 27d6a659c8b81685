using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues revoke QUEUE TOOL</c> (admins).</summary>
internal sealed class QueueRevokeCommand : CliCommand
{
    private readonly QueueArguments _arguments = new();

    public QueueRevokeCommand(CommandHost host)
        : base("revoke", "Take a dedicated queue from a tool (admins): its jobs there ask for default from then on; nothing running stops. Its maintainers get a mail.", host)
    {
        _arguments.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var (queue, tool) = _arguments.Read(cli.Parse);
        var grant = await cli.Client.RevokeQueueAsync(queue, tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(grant, CliJsonContext.Output.QueueGrantView);
        }
        else
        {
            cli.Say($"Tool {grant.Tool} may no longer use queue {grant.Queue}.");
        }

        return ExitCodes.Ok;
    }
}
