using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Bad input, to the CLI and to the API: a clear error that names every problem, and nothing changes.</summary>
[Collection(SharedPlatform.Name)]
public sealed class InputTests(Platform platform)
{
    [RootFact]
    public async Task Bad_input_to_the_CLI_names_each_problem_and_changes_nothing()
    {
        await platform.MustAsync("alice", "tools", "create", "input-cli");
        var before = await platform.MustAsync("alice", "jobs", "list", "--tool", "input-cli", "--json");

        var result = await platform.CliAsync("alice", "jobs", "run", "Bad_Name", "--tool", "input-cli", "--command", "true", "--mem", "lots", "--cpu", "fast");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Bad_Name", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--mem", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--cpu", result.Stderr, StringComparison.Ordinal);

        var notContinuous = await platform.CliAsync("alice", "jobs", "run", "bot", "--tool", "input-cli", "--command", "true", "--restart", "on-failure", "--no-filelog", "-o", "x.out");
        Assert.Equal(2, notContinuous.ExitCode);
        Assert.Contains("toolgrid: error: --restart: a restart policy is for continuous jobs: add --continuous.", notContinuous.Stderr, StringComparison.Ordinal);
        Assert.Contains("toolgrid: error: --no-filelog: output files were given but file logging is off: drop --no-filelog, or drop -o and -e.", notContinuous.Stderr, StringComparison.Ordinal);

        var tooBig = await platform.CliAsync("alice", "jobs", "run", "big", "--tool", "input-cli", "--command", "true", "--mem", "64Gi");
        Assert.NotEqual(0, tooBig.ExitCode);
        Assert.Contains("4Gi", tooBig.Stderr, StringComparison.Ordinal);

        var escape = await platform.CliAsync("alice", "jobs", "run", "escape", "--tool", "input-cli", "--command", "true", "-o", "../../etc/x");
        Assert.NotEqual(0, escape.ExitCode);
        Assert.Contains("outside the tool's home", escape.Stderr, StringComparison.Ordinal);

        var badTool = await platform.CliAsync("alice", "tools", "create", "No-Good");
        Assert.NotEqual(0, badTool.ExitCode);
        Assert.Contains("not a valid tool name", badTool.Stderr, StringComparison.Ordinal);

        Assert.Equal(before, await platform.MustAsync("alice", "jobs", "list", "--tool", "input-cli", "--json"));
    }

    [RootFact]
    public async Task Bad_input_to_the_API_is_a_problem_listing_every_error_and_changes_nothing()
    {
        await platform.MustAsync("alice", "tools", "create", "input-api");
        using var client = platform.RootClient();
        var body = """{"name":"UPPER","command":"","mem":"12Q","cpu":"9","retry":9,"filelogStdout":"/etc/passwd","colour":"blue"}""";
        var answer = await client.PostAsync("/api/v1/tools/input-api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", problem.GetProperty("errorCode").GetString());
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "name", "command", "mem", "cpu", "retry", "filelogStdout", "colour" }, fields);

        var jobs = await client.GetFromJsonAsync<JsonElement>("/api/v1/tools/input-api/jobs");
        Assert.Equal(0, jobs.GetArrayLength());

        var notJson = await client.PostAsync("/api/v1/tools/input-api/jobs", new StringContent("{nope", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [RootFact]
    public async Task Tcp_needs_a_token_and_a_token_acts_for_its_owner()
    {
        using var anonymous = platform.TcpClient();
        var refused = await anonymous.GetAsync("/api/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var created = await platform.MustAsync("carol", "tokens", "create", "--name", "laptop", "--json");
        var secret = JsonDocument.Parse(created).RootElement.GetProperty("secret").GetString();
        using var withToken = platform.TcpClient();
        withToken.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        var me = await withToken.GetFromJsonAsync<JsonElement>("/api/v1/whoami");
        Assert.Equal(Platform.Person("carol"), me.GetProperty("user").GetString());

        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetInt64();
        await platform.MustAsync("carol", "tokens", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.GetAsync("/api/v1/whoami")).StatusCode);
    }
}
