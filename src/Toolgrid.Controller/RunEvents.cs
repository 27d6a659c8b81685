namespace Toolgrid.Controller;

/// <summary>Tells those who wait on runs (<c>jobs run --wait</c>) that some run changed, so they look again at once.</summary>
public sealed class RunEvents
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change of any run.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    public void Publish()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
