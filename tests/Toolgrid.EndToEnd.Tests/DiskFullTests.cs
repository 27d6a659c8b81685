using System.Net.Http.Json;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// The node's disk full under a running toolgridd: a job submitted then is accepted (the store has
/// room), waits to start saying why, <c>toolgrid status</c> warns, and the job runs, once, when
/// space is freed: it never ends "start-failed" for a cause that passes.
/// </summary>
[Collection(DiskShared.Name)]
public sealed class DiskFullTests(DiskPlatform disk)
{
    private Platform Platform => disk.Platform;

    [RootFact]
    public async Task A_job_submitted_while_the_run_files_disk_is_full_waits_saying_why_and_runs_once_when_space_is_freed()
    {
        const string tool = "disk-full";
        await Platform.MustAsync("alice", "tools", "create", tool);

        disk.Fill();
        await Platform.MustAsync("alice", "jobs", "run", "fetch", "--tool", tool, "--command", "echo fetched >> fetched.txt");
        var waiting = await Platform.WaitForRunAsync(tool, "fetch", run => run.GetProperty("reason").GetString() == "start-deferred");
        var job = await Platform.JobAsync(tool, "fetch");
        var shown = await Platform.MustAsync("alice", "jobs", "show", "fetch", "--tool", tool);
        var warnings = await WarningsAsync();
        disk.Free();
        var ended = await Platform.WaitForRunAsync(tool, "fetch", run => run.GetProperty("state").GetString() is "succeeded" or "failed");

        Assert.Equal("starting", waiting.GetProperty("state").GetString());
        Assert.Contains("is full (cannot ", waiting.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("; trying again at ", waiting.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("waiting to start on ", job.GetProperty("status").GetString(), StringComparison.Ordinal);
        Assert.Contains("start-deferred", shown, StringComparison.Ordinal);
        Assert.Contains(warnings, w => w.StartsWith("1 run(s) cannot start yet: the disk of node ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"the disk of the run files ({disk.RunDirectory}) is full", StringComparison.Ordinal));
        Assert.Equal("succeeded", ended.GetProperty("state").GetString());
        Assert.Equal(waiting.GetProperty("id").GetInt64(), ended.GetProperty("id").GetInt64());
        Assert.Equal(["fetched"], await File.ReadAllLinesAsync(Path.Combine(Platform.HomeOf(tool), "fetched.txt")));
        Assert.DoesNotContain(await WarningsAsync(), w => w.Contains("cannot start yet", StringComparison.Ordinal) || w.StartsWith("the disk of", StringComparison.Ordinal));
    }

    /// <summary>What <c>toolgrid status</c> warns of, as the API says it.</summary>
    private async Task<List<string>> WarningsAsync()
    {
        using var client = Platform.RootClient();
        var status = await client.GetFromJsonAsync<JsonElement>("/api/v1/status");
        return [.. status.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
    }
}
