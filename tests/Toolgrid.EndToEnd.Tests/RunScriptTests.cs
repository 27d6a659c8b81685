using System.Diagnostics;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// <c>./run.sh</c>'s build and install (<c>publish_toolgrid</c> of deploy/lib.sh): it says what it
/// does, step by step, and lets dotnet show its progress. dotnet here is a stand-in that records
/// how it was called, so that the test takes a second rather than the minutes of a build.
/// </summary>
public sealed class RunScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tg-runsh-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Publish_says_each_step_before_it_starts_and_shows_dotnets_progress()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        var calls = Path.Combine(_directory, "dotnet-calls");
        var dotnet = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(dotnet, $$"""
            #!/bin/sh
            echo "dotnet $*" >> '{{calls}}'
            echo "dotnet $1"
            while [ $# -gt 0 ]; do
                if [ "$1" = -o ]; then mkdir -p "$2"; touch "$2/toolgridd" "$2/toolgrid"; fi
                shift
            done
            """);
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(Platform.RepositoryRoot, "deploy", "lib.sh"), Path.Combine(_directory, "lib.sh"));

        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(". ./lib.sh && publish_toolgrid \"$PWD/prefix\"");
        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] steps = ["toolgrid: restoring packages", "toolgrid: building toolgridd", "toolgrid: building toolgrid,", "toolgrid: installing under"];
        var at = steps.Select(step => Array.FindIndex(lines, l => l.StartsWith(step, StringComparison.Ordinal))).ToList();
        Assert.True(at.All(i => i >= 0) && at.SequenceEqual(at.Order()), $"the steps, in order, in:\n{stdout}");

        // Each step's announcement comes before dotnet runs it, and dotnet is never silenced.
        Assert.Equal("dotnet restore", lines[at[0] + 1]);
        Assert.Equal("dotnet publish", lines[at[1] + 1]);
        var invocations = await File.ReadAllLinesAsync(calls);
        Assert.Equal(4, invocations.Length);
        Assert.All(invocations, call => Assert.Contains("-v minimal", call, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_directory, "prefix", "bin", "jsub")));
    }
}
