using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Toolgrid.Backends.Local.Tests;

/// <summary>Writes a test's log to its output, so a failing test shows what the backend said.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{logLevel} [{eventId.Id}] {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a background loop logged late.
        }
    }
}
