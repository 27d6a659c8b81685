using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Backends.Slurm.Tests;

/// <summary>A logger that keeps the backend's warnings, for tests that check one was written.</summary>
internal sealed class ListLogger : ILogger<SlurmBackend>
{
    private readonly ConcurrentQueue<string> _warnings = new();

    public IReadOnlyCollection<string> Warnings => _warnings;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Warning)
        {
            _warnings.Enqueue(formatter(state, exception));
        }
    }
}
