using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues grant QUEUE TOOL</c> (admins).</summary>
internal sealed class QueueGrantCommand : CliCommand
{
    private readonly QueueArguments _arguments = new();

    public QueueGrantCommand(CommandHost host)
        : base("grant", "Let a tool use a dedicated queue (admins); its maintainers get a mail.", host)
    {
        _arguments.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var (queue, tool) = _arguments.Read(cli.Parse);
        var grant = await cli.Client.GrantQueueAsync(queue, tool, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(grant, CliJsonContext.Output.QueueGrantView);
        }
        else
        {
            cli.Say($"Tool {grant.Tool} may use queue {grant.Queue} (granted by {grant.GrantedBy}).");
        }

        return ExitCodes.Ok;
    }
}
