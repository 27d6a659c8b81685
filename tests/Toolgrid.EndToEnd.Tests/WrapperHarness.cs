namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Runs programs as a tool's own user, in its home, the way its runs and a <c>become</c> shell
/// do: the grid-era wrappers as links to the real <c>toolgrid</c> binary, put on the PATH as
/// <c>deploy/lib.sh</c> installs them (<c>bin/jsub → toolgrid</c>), and told apart by argv[0].
/// </summary>
public static class WrapperHarness
{
    public static readonly IReadOnlyList<string> Wrappers = ["jsub", "jstart", "jstop", "job", "qcronsub", "qstat", "qdel"];

    private static readonly Lock LinkLock = new();

    /// <summary>The directory of the links, made on first use under the platform's root.</summary>
    public static string BinDirectory(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var bin = Path.Combine(platform.Root, "bin");
        lock (LinkLock)
        {
            Directory.CreateDirectory(bin);
            File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
            foreach (var name in Wrappers.Append("toolgrid"))
            {
                var link = Path.Combine(bin, name);
                if (!File.Exists(link))
                {
                    File.CreateSymbolicLink(link, Platform.ToolgridCli);
                }
            }
        }

        return bin;
    }

    /// <summary>The Unix user of a tool.</summary>
    public static string ToolUser(string tool) => Platform.ToolPrefix + tool;

    /// <summary>
    /// Runs <paramref name="program"/> (a wrapper, or <c>toolgrid</c>) from the links' directory
    /// as <paramref name="user"/> (a tool's user, or a person), with <c>HOME</c> and the working
    /// directory at <paramref name="home"/>, on the API's socket unless <paramref name="environment"/> says otherwise.
    /// </summary>
    public static Task<CommandResult> RunAsync(Platform platform, string user, string home, string program, IDictionary<string, string>? environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var bin = BinDirectory(platform);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TOOLGRID_API"] = "unix:" + platform.Socket,
            ["HOME"] = home,
            ["PATH"] = $"{bin}:/usr/local/bin:/usr/bin:/bin",
            ["NO_COLOR"] = "1",
            ["COLUMNS"] = "200",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        List<string> command =
        [
            "--reuid=" + user, "--regid=" + user, "--init-groups", "--reset-env", "--",
            "/usr/bin/env", "-C", home, .. variables.Select(v => $"{v.Key}={v.Value}"), Path.Combine(bin, program), .. arguments,
        ];
        return Command.RunAsync("setpriv", command);
    }

    /// <summary>Runs a wrapper as the tool's own user, in its home.</summary>
    public static Task<CommandResult> AsToolAsync(Platform platform, string tool, string program, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return RunAsync(platform, ToolUser(tool), platform.HomeOf(tool), program, null, arguments);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails with what <paramref name="state"/> says.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> state, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(state);
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"did not happen within {timeout}: {state()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }
}
