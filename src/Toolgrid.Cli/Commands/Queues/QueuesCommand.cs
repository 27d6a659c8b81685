namespace Toolgrid.Cli.Commands.Queues;

/// <summary><c>toolgrid queues …</c>: the queues, and who may use the dedicated ones.</summary>
internal sealed class QueuesCommand : CommandGroup
{
    public QueuesCommand(CommandHost host)
        : base("queues", "List the queues; ask for a dedicated queue for a tool; (admins) grant, revoke or deny one.")
    {
        Add(new QueueListCommand(host));
        Add(new QueueRequestCommand(host));
        Add(new QueueRequestsCommand(host));
        Add(new QueueGrantCommand(host));
        Add(new QueueRevokeCommand(host));
        Add(new QueueDenyCommand(host));
    }
}
