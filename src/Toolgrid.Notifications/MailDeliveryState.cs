namespace Toolgrid.Notifications;

/// <summary>What this process's <see cref="Notifier"/> last saw of the mail server, for <c>toolgrid status</c>'s warnings.</summary>
public sealed class MailDeliveryState
{
    private readonly Lock _lock = new();
    private (string Error, DateTimeOffset Since)? _failing;

    /// <summary>The error of the latest attempt, and since when attempts fail; null while mail goes out.</summary>
    public (string Error, DateTimeOffset Since)? Failing
    {
        get
        {
            lock (_lock)
            {
                return _failing;
            }
        }
    }

    public void Failed(string error, DateTimeOffset at)
    {
        lock (_lock)
        {
            _failing = (error, _failing?.Since ?? at);
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _failing = null;
        }
    }
}
