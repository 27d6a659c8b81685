using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// Every command of the <c>```sh</c> blocks of README.md, docs/*.md and deploy/grid/README.md,
/// run as written by <c>/bin/sh</c>, in order, as a person, against the real toolgridd: users
/// copy them. What the docs take for granted is made first (the person <c>alice</c>, the scripts
/// in <c>mytool</c>'s home); the few lines that cannot run as they are in a test are in
/// <see cref="Table"/>, each with the way it is run instead and why.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class DocsTests(Platform platform)
{
    /// <summary>The tool the docs use.</summary>
    private const string Tool = "mytool";

    /// <summary>The person the docs call "yourself".</summary>
    private const string You = "carol";

    /// <summary>The other person the docs name (<c>toolgrid maintainers add mytool alice</c>): a login on this host.</summary>
    private const string Alice = "alice";

    /// <summary>The comment of the <c>alice</c> this test makes, so that it only ever removes its own (a leftover included).</summary>
    private const string AliceComment = "toolgrid docs test";

    /// <summary>What <c>./fetch.sh --all</c> prints.</summary>
    private const string FetchOutput = "fetched --all";

    /// <summary>A table entry for every line of a file.</summary>
    private const string EveryLine = "*";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>The files, in the order they are read.</summary>
    private static IEnumerable<string> DocFiles =>
    [
        "README.md",
        .. Directory.GetFiles(Path.Combine(Platform.RepositoryRoot, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal),
        "deploy/grid/README.md",
    ];

    /// <summary>The lines that cannot run as they are in a test. An entry whose line is in no doc fails the test.</summary>
    private static readonly DocLine[] Table =
    [
        new("README.md", "sudo ./run.sh", Way.NotRun,
            "builds, installs under /usr/local and starts toolgridd in the foreground until stopped: the toolgridd this test runs against is that toolgridd, built from this tree"),
        new("README.md", "sudo ./test.sh", Way.NotRun,
            "runs every test, this one included"),
        new("README.md", "toolgrid jobs logs fetch --tool mytool -f", Way.FollowUntilFetchOutput,
            "-f follows the logs until Ctrl-C: run until fetch's output (\"" + FetchOutput + "\") is shown, then stopped"),
        new("docs/user-guide.md", "qdel 19", Way.WithLastSubmittedNumber,
            "19 is the doc's example of the number a submission prints; run as qdel N, N being the number the last submission (qcronsub -N nightly) printed"),
        new("docs/operator-guide.md", "toolgrid nodes drain \"$(hostname)\" --reason 'kernel upgrade'", Way.AsRoot,
            "an admin's command: run as root (the person the docs run as is no admin)"),
        new("docs/operator-guide.md", "toolgrid nodes resume \"$(hostname)\"", Way.AsRoot,
            "an admin's command: run as root"),
        new("docs/operator-guide.md", "toolgrid queues requests", Way.AsRoot,
            "an admin's command: run as root"),
        new("docs/operator-guide.md", "toolgrid queues deny dedicated mytool --reason \"the dedicated nodes are for web services\"", Way.AsRoot,
            "an admin's command: run as root"),
        new("docs/operator-guide.md", "toolgrid queues grant dedicated mytool", Way.AsRoot,
            "an admin's command: run as root"),
        new("docs/operator-guide.md", "toolgrid queues revoke dedicated mytool", Way.AsRoot,
            "an admin's command: run as root"),
        new("deploy/grid/README.md", EveryLine, Way.NotRun,
            "they build and remove real SGE and Slurm clusters (packages, network namespaces, daemons; minutes each) and are what deploy/grid/smoke.sh tests"),
    ];

    private enum Way
    {
        /// <summary>Not run: the reason says why.</summary>
        NotRun,

        /// <summary>Run as written until fetch's output appears, then stopped.</summary>
        FollowUntilFetchOutput,

        /// <summary>Run with the doc's example number replaced by the one the last submission printed.</summary>
        WithLastSubmittedNumber,

        /// <summary>Run as root: an admin's command.</summary>
        AsRoot,
    }

    [RootFact]
    public async Task Every_command_line_of_the_docs_works_as_written()
    {
        var commands = ReadDocs();
        var stale = Table.Where(e => !commands.Any(e.Matches)).Select(e => $"{e.File}: {e.Command}").ToList();
        Assert.True(stale.Count == 0, "table entries whose line is in no doc any more (remove them):\n" + string.Join('\n', stale));

        var madeAlice = await EnsureAliceAsync();
        string? lastSubmitted = null;
        try
        {
            string? file = null;
            foreach (var command in commands)
            {
                if (file is not null && command.File != file && Directory.Exists(platform.HomeOf(Tool)))
                {
                    // Each file is read by itself: it starts with the tool that an earlier file
                    // made, without the jobs that file ran.
                    await FlushToolAsync();
                }

                file = command.File;
                var entry = Table.FirstOrDefault(e => e.Matches(command));
                if (entry?.Way == Way.NotRun)
                {
                    continue;
                }

                if (entry?.Way == Way.FollowUntilFetchOutput)
                {
                    await FollowAsync(command, FetchOutput);
                    continue;
                }

                var text = command.Text;
                if (entry?.Way == Way.WithLastSubmittedNumber)
                {
                    Assert.True(lastSubmitted is not null, $"{command.Where}: no submission before it printed its number");
                    text = Regex.Replace(command.Command, "[0-9]+", lastSubmitted);
                }

                var result = await ShAsync(command, text, asRoot: entry?.Way == Way.AsRoot);
                Assert.True(result.ExitCode == 0, $"{command.Where}: this line of the docs failed:\n{command.Text}\n{result}");
                lastSubmitted = SubmittedNumber(result.Stdout) ?? lastSubmitted;
                if (command.Command.StartsWith("toolgrid tools create " + Tool + " ", StringComparison.Ordinal))
                {
                    await MakeWhatTheDocsTakeForGrantedAsync();
                }
            }
        }
        finally
        {
            await CleanUpAsync(madeAlice);
        }
    }

    /// <summary>The commands of every doc's <c>```sh</c> blocks; a block that names no language fails the test, as one that could be a command to copy.</summary>
    private static List<DocCommand> ReadDocs()
    {
        var blocks = DocFiles.SelectMany(f => DocCommands.Blocks(f, File.ReadAllText(Path.Combine(Platform.RepositoryRoot, f)))).ToList();
        var unnamed = blocks.Where(b => b.Language is "" or "bash" or "shell" or "console").Select(b => $"{b.File}:{b.Line}").ToList();
        Assert.True(unnamed.Count == 0, "blocks that should say ```sh (commands to copy, which this test runs) or ```text (synopses, pictures, output): " + string.Join(", ", unnamed));
        return blocks.Where(b => b.Language == "sh").SelectMany(DocCommands.Commands).ToList();
    }

    /// <summary>
    /// Runs <paramref name="text"/> with <c>/bin/sh -c</c>: as the person, or, for the grid-era
    /// commands, as the tool in its home, as the docs say they are run ("run as the tool, e.g. from
    /// its crontab or after <c>toolgrid become</c>").
    /// </summary>
    private Task<CommandResult> ShAsync(DocCommand command, string text, bool asRoot = false) =>
        Command.RunAsync("setpriv", ShArguments(command, text, asRoot), timeout: Patience);

    private List<string> ShArguments(DocCommand command, string text, bool asRoot = false)
    {
        var asTool = WrapperHarness.Wrappers.Contains(command.Program);
        var user = asRoot ? "root" : asTool ? WrapperHarness.ToolUser(Tool) : Platform.Person(You);
        var home = asTool ? platform.HomeOf(Tool) : "/";
        return
        [
            "--reuid=" + user, "--regid=" + user, "--init-groups", "--reset-env", "--",
            "/usr/bin/env", "-C", home, "TOOLGRID_API=unix:" + platform.Socket, "HOME=" + home,
            $"PATH={WrapperHarness.BinDirectory(platform)}:/usr/local/bin:/usr/bin:/bin", "NO_COLOR=1", "COLUMNS=200",
            "/bin/sh", "-c", text,
        ];
    }

    /// <summary>Runs a command that goes on until stopped until <paramref name="expected"/> is in its output, then stops it.</summary>
    private async Task FollowAsync(DocCommand command, string expected)
    {
        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in ShArguments(command, command.Text))
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("setpriv did not start");
        DataReceivedEventHandler append = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (output.ToString().Contains(expected, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ended = process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, ended, Task.Delay(Patience, TimeProvider.System));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        lock (output)
        {
            Assert.True(first == seen.Task, $"{command.Where}: this line of the docs did not show \"{expected}\" ({(first == ended ? "exit " + process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running after " + Patience)}):\n{command.Text}\n{output}");
        }
    }

    /// <summary>
    /// What the docs take for granted in the tool's home once it exists, each the least that does
    /// what the docs say: the scripts its jobs run, and a checkout in <c>src</c> to <c>git pull</c>.
    /// </summary>
    private async Task MakeWhatTheDocsTakeForGrantedAsync()
    {
        var home = platform.HomeOf(Tool);
        var user = WrapperHarness.ToolUser(Tool);
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fetch.sh"] = "#!/bin/sh\necho \"fetched $*\"\n",
            ["bot.py"] = "#!/usr/bin/env python3\nimport time\nwhile True:\n    time.sleep(3600)\n",
            ["report.sh"] = "#!/bin/sh\necho report\n",

            // A nightly job that takes its time: still running when the docs qdel it.
            ["nightly.sh"] = "#!/bin/sh\nexec sleep 86400\n",
        };
        foreach (var (name, content) in scripts)
        {
            var path = Path.Combine(home, name);
            await File.WriteAllTextAsync(path, content);
            File.SetUnixFileMode(path, (UnixFileMode)0b111_111_000);
            await Command.MustAsync("chown", $"{user}:{user}", path);
        }

        const string checkout = "git init -q seed && git -C seed -c user.name=mytool -c user.email=mytool@localhost commit -q --allow-empty -m first"
            + " && git clone -q --bare seed upstream.git && git clone -q upstream.git src && rm -rf seed";
        var git = await Command.RunAsync("setpriv", ["--reuid=" + user, "--regid=" + user, "--init-groups", "--reset-env", "--", "/usr/bin/env", "-C", home, "HOME=" + home, "/bin/sh", "-c", checkout]);
        Assert.True(git.ExitCode == 0, git.ToString());
    }

    /// <summary>Deletes the tool's jobs and waits until none of its processes is left.</summary>
    private async Task FlushToolAsync()
    {
        await platform.MustAsync(You, "jobs", "flush", "--tool", Tool);
        await WrapperHarness.WaitUntilAsync(
            async () => (await Command.RunAsync("pgrep", ["-u", WrapperHarness.ToolUser(Tool)])).ExitCode == 1,
            () => platform.Log,
            Patience);
    }

    /// <summary>Makes the person <c>alice</c> unless there is one; a leftover of this test is made again.</summary>
    private static async Task<bool> EnsureAliceAsync()
    {
        await RemoveOwnAliceAsync();
        var exists = await Command.RunAsync("getent", ["passwd", Alice]);
        if (exists.ExitCode == 0)
        {
            return false;
        }

        await Command.MustAsync("useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/sh", "--comment", AliceComment, Alice);
        return true;
    }

    private static async Task RemoveOwnAliceAsync()
    {
        var entry = await Command.RunAsync("getent", ["passwd", Alice]);
        if (entry.ExitCode == 0 && entry.Stdout.Split(':')[4] == AliceComment)
        {
            await Command.RunAsync("pkill", ["-KILL", "-u", Alice]);
            await Command.MustAsync("userdel", Alice);
        }
    }

    /// <summary>Deletes the tool (which stops its runs) and the <c>alice</c> this test made; the platform removes the tool's Unix user.</summary>
    private async Task CleanUpAsync(bool madeAlice)
    {
        if (Directory.Exists(platform.HomeOf(Tool)))
        {
            await platform.CliAsync(null, "tools", "delete", Tool, "--yes");
            await WrapperHarness.WaitUntilAsync(
                async () => (await Command.RunAsync("pgrep", ["-u", WrapperHarness.ToolUser(Tool)])).ExitCode == 1,
                () => platform.Log,
                Patience);
        }

        if (madeAlice)
        {
            await RemoveOwnAliceAsync();
        }
    }

    /// <summary>The number in a submission's answer, "Your job 19 (\"fetch\") has been submitted".</summary>
    private static string? SubmittedNumber(string output)
    {
        var match = Regex.Match(output, "^Your job ([0-9]+) ", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>A line of the docs that is not run as written: how it is run instead, and why.</summary>
    private sealed record DocLine(string File, string Command, Way Way, string Reason)
    {
        public bool Matches(DocCommand command) => command.File == File && (Command == EveryLine || command.Command == Command);
    }
}
