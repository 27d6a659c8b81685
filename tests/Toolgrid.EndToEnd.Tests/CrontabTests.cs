using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary><c>toolgrid crontab import --dry-run</c> on a crontab as grid-era tools had them, against the real toolgridd.</summary>
[Collection(SharedPlatform.Name)]
public sealed class CrontabTests(Platform platform)
{
    private const string Tool = "cron-one";

    private const string GridCrontab = """
        # Edit this file to introduce tasks to be run by cron.
        MAILTO=someone@example.org
        PATH=/usr/local/bin:/usr/bin:/bin
        # m h  dom mon dow   command
        */10 * * * * /usr/bin/jsub -N update -once -quiet -mem 512m /bin/echo update
        17 4 * * * jsub -N nightly -l h_vmem=2G -o $HOME/nightly.log /bin/echo nightly
        0 * * * * qcronsub -N hourly -mem 1g /bin/echo hourly
        @reboot jstart -N bot -mem 300m /bin/sleep 1000
        5 5 * * * jsub -N array -t 1-10 /bin/echo nope
        """;

    [RootFact]
    public async Task A_dry_run_shows_what_each_line_becomes_and_creates_nothing()
    {
        await platform.MustAsync("alice", "tools", "create", Tool);
        var file = Path.Combine(platform.Root, "cron-crontab.txt");
        await File.WriteAllTextAsync(file, GridCrontab);

        var result = await platform.CliAsync("alice", "crontab", "import", file, "--dry-run", "--tool", Tool, "--json");
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.False(root.GetProperty("applied").GetBoolean());
        var jobs = root.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("request").GetProperty("name").GetString()!, j => j, StringComparer.Ordinal);
        Assert.Equal(["bot", "hourly", "nightly", "update"], jobs.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("*/10 * * * *", jobs["update"].GetProperty("request").GetProperty("schedule").GetString());
        Assert.Equal(5, jobs["update"].GetProperty("line").GetInt32());
        Assert.True(jobs["bot"].GetProperty("request").GetProperty("continuous").GetBoolean());

        // The line that cannot become a job is shown with why, naming the flag.
        var skipped = Assert.Single(root.GetProperty("notConverted").EnumerateArray());
        Assert.Equal(9, skipped.GetProperty("line").GetInt32());
        Assert.Contains("-t", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Every converted job was checked by the API, and none was made.
        Assert.All(root.GetProperty("plan").EnumerateArray(), step => Assert.Equal("add", step.GetProperty("action").GetString()));
        Assert.Equal("[]", (await platform.MustAsync("alice", "jobs", "list", "--tool", Tool, "--json")).Trim());

        // Without --json, a table a person reads.
        var table = await platform.CliAsync("alice", "crontab", "import", file, "--dry-run", "--tool", Tool);
        Assert.Contains("nightly", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Not converted", table.Stdout, StringComparison.Ordinal);
        Assert.Equal("[]", (await platform.MustAsync("alice", "jobs", "list", "--tool", Tool, "--json")).Trim());
    }
}
