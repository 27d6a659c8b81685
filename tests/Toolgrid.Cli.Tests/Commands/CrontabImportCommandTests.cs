using System.Text.Json;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Tests.Support;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Tests.Commands;

/// <summary><c>toolgrid crontab import</c>: the API checks the converted jobs (a dry run), then they go to it as one list, applied all or nothing.</summary>
public sealed class CrontabImportCommandTests : IAsyncLifetime
{
    private const string Apply = "/api/v1/tools/mytool/jobs/apply";

    private const string Crontab = """
        0 * * * * /bin/echo hourly
        17 4 * * * /bin/echo nightly
        30 5 * * 1 /bin/echo weekly
        """;

    private readonly CliHarness _cli = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), "tgcli-crontab-" + Guid.NewGuid().ToString("N"));
    private ApiTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartUnixAsync();
        _cli.Variables["TOOLGRID_API"] = _server.Address.ToString();
        await File.WriteAllTextAsync(_file, Crontab);
        _server.AnswerJson("GET", "/api/v1/tools/mytool", Sample.Tool(), CliJsonContext.Default.ToolView);
    }

    public async Task DisposeAsync()
    {
        File.Delete(_file);
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Import_HasTheApiCheckEveryJobInOneDryRun_ThenSendsThemInOneRequest_KeepingTheOthers(bool dryRun)
    {
        var plan = new JobsApplyResult(!dryRun, [new("echo", "add", []), new("echo-2", "add", []), new("echo-3", "add", [])], []);
        _server.AnswerJson("POST", Apply, plan, CliJsonContext.Default.JobsApplyResult);

        string[] args = dryRun ? ["crontab", "import", _file, "--tool", "mytool", "--dry-run"] : ["crontab", "import", _file, "--tool", "mytool"];
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = _server.Requests.Where(r => r.Path == Apply).ToList();
        Assert.Equal(dryRun ? 1 : 2, requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            using var body = JsonDocument.Parse(requests[i].Body);
            Assert.Equal(3, body.RootElement.GetProperty("jobs").GetArrayLength());
            Assert.True(body.RootElement.GetProperty("keepOthers").GetBoolean());
            Assert.False(body.RootElement.TryGetProperty("only", out _));
            Assert.Equal(dryRun || i == 0, body.RootElement.TryGetProperty("dryRun", out var dry) && dry.GetBoolean());
        }
    }

    [Fact]
    public async Task Import_AJobTheApiRefuses_IsALineNotConverted_InTheCrontabsWords_AndTheOthersAreImported()
    {
        _server.AnswerProblem("POST", Apply, 400, "validation", "1 problem", ("jobs[1] (echo-2).timezone", "'Mars/Base' is not a known time zone: use an IANA name such as Europe/Berlin, or drop `timezone`."));
        _server.AnswerJson("POST", Apply, new JobsApplyResult(true, [new("echo", "add", []), new("echo-3", "add", [])], []), CliJsonContext.Default.JobsApplyResult);

        var result = await _cli.RunAsync("crontab", "import", _file, "--tool", "mytool");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("CRON_TZ: 'Mars/Base' is not a known time zone: use an IANA name such as Europe/Berlin, or drop CRON_TZ.", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 line was not converted", result.Out, StringComparison.Ordinal);
        var sent = _server.Requests.Where(r => r.Path == Apply).ToList();
        Assert.Equal(2, sent.Count);
        using var body = JsonDocument.Parse(sent[1].Body);
        Assert.Equal(["echo", "echo-3"], body.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()));
        Assert.False(body.RootElement.TryGetProperty("dryRun", out _));
    }

    [Fact]
    public async Task Import_OverTheQuota_SaysNothingWasChanged()
    {
        _server.AnswerProblem("POST", Apply, 403, "quota-exceeded", "tool 'mytool' would have 19 jobs and may have 16; nothing was changed. Drop jobs from the list, or ask an admin to raise the quota.");

        var result = await _cli.RunAsync("crontab", "import", _file, "--tool", "mytool");

        Assert.Equal(ExitCodes.NoPermission, result.ExitCode);
        Assert.Contains("nothing was changed", result.Error, StringComparison.Ordinal);
        Assert.Single(_server.Requests, r => r.Path == Apply);
    }
}
