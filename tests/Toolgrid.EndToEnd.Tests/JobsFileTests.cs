using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary><c>toolgrid jobs load</c> and <c>jobs dump</c> against the real toolgridd: a Toolforge jobs.yaml, round trip, refusal.</summary>
[Collection(SharedPlatform.Name)]
public sealed class JobsFileTests(Platform platform)
{
    private const string Tool = "yaml-one";

    private const string JobsYaml = """
        # The tool's jobs, as Toolforge users keep them.
        - name: daily-report
          command: date
          schedule: "17 3 * * *"
          mem: 512Mi
          emails: onfailure
          filelog-stdout: logs/daily.out
        - name: bot
          command: sleep 300
          continuous: true
          mem: 256Mi
          cpu: 0.25
        - name: weekly
          command: echo weekly
          schedule: "@weekly"
          retry: 2
        """;

    [RootFact]
    public async Task A_file_loads_dumps_and_loads_again_unchanged_and_a_bad_file_changes_nothing()
    {
        await platform.MustAsync("alice", "tools", "create", Tool);
        var file = Write("jobs.yaml", JobsYaml);

        // A dry run says what would happen and does it not.
        var plan = await LoadAsync(file, "--dry-run");
        Assert.False(plan.GetProperty("applied").GetBoolean());
        Assert.Equal(["add", "add", "add"], Actions(plan).Values.ToArray());
        Assert.Equal("[]", (await platform.MustAsync("alice", "jobs", "list", "--tool", Tool, "--json")).Trim());

        var loaded = await LoadAsync(file);
        Assert.True(loaded.GetProperty("applied").GetBoolean());
        Assert.Equal(new Dictionary<string, string> { ["bot"] = "add", ["daily-report"] = "add", ["weekly"] = "add" }, Actions(loaded));
        await platform.WaitForRunAsync(Tool, "bot", r => r.GetProperty("state").GetString() == "running");

        // What dump writes, loaded again, is what there is.
        var dumped = await platform.MustAsync("alice", "jobs", "dump", "--tool", Tool);
        Assert.Contains("name: daily-report", dumped, StringComparison.Ordinal);
        Assert.Contains("17 3 * * *", dumped, StringComparison.Ordinal);
        var again = await LoadAsync(Write("dumped.yaml", dumped));
        Assert.All(Actions(again).Values, action => Assert.Equal("unchanged", action));
        Assert.Equal(3, Actions(again).Count);
        var bot = (await platform.JobAsync(Tool, "bot")).GetProperty("runs");
        Assert.Single(bot.EnumerateArray());

        // One bad entry: nothing changes, and the error names the entry's line and key.
        var bad = Write("bad.yaml", JobsYaml.Replace("command: echo weekly", "command: echo changed", StringComparison.Ordinal) + "\n- name: broken\n  command: true\n  mem: lots\n");
        var refused = await platform.CliAsync("alice", "jobs", "load", bad, "--tool", Tool);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("mem", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(dumped, await platform.MustAsync("alice", "jobs", "dump", "--tool", Tool));

        // A file without a job deletes it; --job touches one job only.
        var fewer = await LoadAsync(Write("fewer.yaml", JobsYaml.Replace("command: echo weekly", "command: echo changed", StringComparison.Ordinal)), "--job", "weekly");
        Assert.Equal(new Dictionary<string, string> { ["weekly"] = "replace" }, Actions(fewer));
        var without = await LoadAsync(Write("without.yaml", string.Join('\n', JobsYaml.Split('\n').TakeWhile(l => !l.Contains("name: bot", StringComparison.Ordinal)))));
        Assert.Equal("delete", Actions(without)["bot"]);
        Assert.Equal("unchanged", Actions(without)["daily-report"]);
        Assert.Equal("delete", Actions(without)["weekly"]);
    }

    private async Task<JsonElement> LoadAsync(string file, params string[] more)
    {
        var output = await platform.MustAsync("alice", ["jobs", "load", file, "--tool", Tool, "--json", .. more]);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }

    private static Dictionary<string, string> Actions(JsonElement result) =>
        result.GetProperty("plan").EnumerateArray().ToDictionary(s => s.GetProperty("job").GetString()!, s => s.GetProperty("action").GetString()!, StringComparer.Ordinal);

    private string Write(string name, string text)
    {
        var path = Path.Combine(platform.Root, "yaml-" + name);
        File.WriteAllText(path, text);
        return path;
    }
}
