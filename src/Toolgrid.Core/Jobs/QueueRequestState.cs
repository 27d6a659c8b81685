namespace Toolgrid.Core.Jobs;

/// <summary>Where a request for a queue stands.</summary>
public enum QueueRequestState
{
    /// <summary>Waiting for an admin.</summary>
    Open,

    /// <summary>An admin granted the queue.</summary>
    Granted,

    /// <summary>An admin refused it, saying why.</summary>
    Denied,
}
