using System.Text;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Tests.Terminals;

/// <summary>An attached run's output as text, read as the test waits for what it expects.</summary>
/// <remarks>
/// A pseudo-terminal echoes what is typed, and may do so before the shell has printed its first
/// prompt: the output then holds the typed line with no prompt before it, and a command's output
/// with the prompt before it. So a test expects what only the command's output can hold, a
/// sentinel the command computes: <c>echo "&lt;$((6*7))&gt;"</c> prints <c>&lt;42&gt;</c>, which the
/// echoed line does not contain.
/// </remarks>
internal sealed class TerminalSession(IRunTerminal terminal)
{
    private static readonly TimeSpan Patience = BackendHarness.Patience;
    private readonly StringBuilder _output = new();

    public IRunTerminal Terminal => terminal;

    /// <summary>Everything read so far.</summary>
    public string Output => _output.ToString();

    public ValueTask SendAsync(string text) => terminal.WriteAsync(Encoding.UTF8.GetBytes(text), CancellationToken.None);

    /// <summary>Reads until the output (from <paramref name="from"/> on) contains <paramref name="expected"/>; the index after it.</summary>
    public async Task<int> ExpectAsync(string expected, int from = 0)
    {
        using var patience = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        while (true)
        {
            var at = _output.ToString().IndexOf(expected, from, StringComparison.Ordinal);
            if (at >= 0)
            {
                return at + expected.Length;
            }

            int read;
            try
            {
                read = await terminal.ReadAsync(buffer, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no \"{expected}\" in the output within {Patience.TotalSeconds} s; it was: {_output}");
            }

            if (read == 0)
            {
                throw new InvalidOperationException($"the output ended without \"{expected}\"; it was: {_output}");
            }

            _output.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    /// <summary>Reads the rest of the output, until its end.</summary>
    public async Task ReadToEndAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        int read;
        while ((read = await terminal.ReadAsync(buffer, patience.Token)) > 0)
        {
            _output.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
