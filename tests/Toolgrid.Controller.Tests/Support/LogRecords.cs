using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Toolgrid.Controller.Tests.Support;

/// <summary>Keeps what the controller logs, for tests that check how often something was said.</summary>
public sealed class LogRecords : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> _records = new();

    public IReadOnlyList<(LogLevel Level, EventId Event, string Message)> All => [.. _records];

    /// <summary>The messages of the records with this event id.</summary>
    public IReadOnlyList<string> Of(int eventId) => [.. _records.Where(r => r.Event.Id == eventId).Select(r => r.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecords records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records._records.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
