using System.Security.Cryptography;
using System.Text;
using Toolgrid.Core.Backends;
using Toolgrid.Native.Terminals;

namespace Toolgrid.Tests.Grid;

/// <summary>
/// An interactive run whose environment holds a secret, as a maintainer's token would be: the
/// command sees it, and no process of the host or of a node (the test clusters' nodes share the
/// host's processes) has it on its command line while the session runs.
/// </summary>
public static class SessionSecrets
{
    private const string Variable = "TG_SECRET";

    /// <summary><paramref name="launch"/> with a secret of its own in its environment, and a command that prints it and waits for a line, then exits 3.</summary>
    public static RunLaunch With(RunLaunch launch, out string secret)
    {
        ArgumentNullException.ThrowIfNull(launch);
        secret = "tg-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        return launch with
        {
            Command = $"echo \"seen-${Variable}\"; read x; exit 3",
            Environment = new Dictionary<string, string> { [Variable] = secret },
        };
    }

    /// <summary>
    /// Attaches to the running <paramref name="launch"/> (made by <see cref="With"/>) and, once its
    /// command printed the secret, asserts that its client runs with the script's path, that no
    /// command line has the secret, and that the script's file is gone; then lets the command end.
    /// </summary>
    public static async Task AssertOnNoCommandLineAsync(IRunTerminals backend, RunLaunch launch, string secret)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(launch);
        var script = SessionScript.PathOf(launch.Home, launch.RunId);
        var output = new StringBuilder();
        await using var terminal = await backend.AttachAsync(launch.RunId, CancellationToken.None);

        // The command has the variable and waits for a line: the client and the job's shell on the node run.
        Assert.True(await RunTerminals.ReadUntilAsync(terminal, output, "seen-" + secret), output.ToString());
        Assert.True(RunTerminals.ClientRuns(script), "the client, given the script's path, runs");
        Assert.Empty(RunTerminals.CommandLinesWith(secret));
        // The script removed its file when it started.
        Assert.False(File.Exists(script), script);

        await terminal.WriteAsync("q\n"u8.ToArray(), CancellationToken.None);
        await RunTerminals.ReadToEndAsync(terminal, output);
    }
}
