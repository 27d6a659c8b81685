using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// What a tool's own identity may do and where it comes from: runs reach the API over the
/// socket with no secret, nothing in a tool's home is a credential that its web server could
/// publish, and the tool itself (socket or token) runs its jobs but never changes who maintains it.
/// </summary>
[Collection(SharedPlatform.Name)]
public sealed class ToolIdentityTests(Platform platform)
{
    [RootFact]
    public async Task A_run_lists_its_tools_jobs_over_the_socket_with_no_token()
    {
        const string tool = "ident-run";
        await platform.MustAsync("alice", "tools", "create", tool);
        var cli = Path.Combine(WrapperHarness.BinDirectory(platform), "toolgrid");

        var result = await platform.CliAsync("alice", "jobs", "run", "lister", "--tool", tool, "--wait", "--command",
            $"set -e; test -z \"$TOOLGRID_TOKEN\"; {cli} whoami --json; {cli} jobs list");

        var home = platform.HomeOf(tool);
        var output = await File.ReadAllTextAsync(Path.Combine(home, "lister.out"));
        Assert.True(result.ExitCode == 0, result + "\n" + output + await File.ReadAllTextAsync(Path.Combine(home, "lister.err")));
        var whoami = JsonDocument.Parse(output[..(output.IndexOf("}\n", StringComparison.Ordinal) + 1)]).RootElement;
        Assert.Equal((tool, "peer-credentials"), (whoami.GetProperty("tool").GetString(), whoami.GetProperty("via").GetString()));
        Assert.Contains("lister", output[output.IndexOf("}\n", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home, ".toolgrid")));
    }

    [RootFact]
    public async Task A_web_server_serving_the_tools_home_publishes_no_token()
    {
        const string tool = "ident-web";
        await platform.MustAsync("alice", "tools", "create", tool);
        try
        {
            // The audit's case: a web server whose document root is the home.
            await platform.MustAsync("alice", "webservice", "start", "--tool", tool, "--", "python3", "-m", "http.server", "--bind", "127.0.0.1", "$PORT");
            using var proxy = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{platform.ProxyPort.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(30) };
            var listing = "";
            await WrapperHarness.WaitUntilAsync(
                async () => (listing = await GetAsync(proxy, $"/{tool}/")).Contains("Directory listing for /", StringComparison.Ordinal),
                () => listing + platform.Log,
                TimeSpan.FromSeconds(90));

            Assert.DoesNotContain(".toolgrid", listing, StringComparison.Ordinal);
            using var token = await proxy.GetAsync($"/{tool}/.toolgrid/token");
            Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
            Assert.DoesNotContain("tg_", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await platform.CliAsync("alice", "webservice", "stop", "--tool", tool);
        }
    }

    [RootFact]
    public async Task The_takeover_chain_is_closed_the_tools_identity_runs_its_jobs_but_cannot_add_a_maintainer_delete_the_tool_or_mint_an_admin_token()
    {
        const string tool = "ident-self";
        var unixUser = WrapperHarness.ToolUser(tool);
        var home = platform.HomeOf(tool);
        var bob = Platform.Person("bob");
        await platform.MustAsync("alice", "tools", "create", tool);

        // On the socket, as the tool (a run, or a shell after 'become').
        var add = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", null, "maintainers", "add", tool, bob);
        Assert.True(add.ExitCode == 77, add.ToString());
        Assert.Contains($"must be done by a person, not by tool '{tool}' itself", add.Stderr, StringComparison.Ordinal);
        var delete = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", null, "tools", "delete", tool, "--yes");
        Assert.True(delete.ExitCode == 77, delete.ToString());
        var admin = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", null, "tokens", "create", "--scope", "admin");
        Assert.True(admin.ExitCode == 2, admin.ToString());
        Assert.Contains($"tool '{tool}' acting as itself may make tokens of scope read or jobs, not admin", admin.Stderr, StringComparison.Ordinal);

        // The most a tool's identity can get: a token of scope jobs. Over TCP, as a leak would be used.
        var made = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", null, "tokens", "create", "--scope", "jobs");
        Assert.True(made.ExitCode == 0, made.ToString());
        var secret = made.Stdout.Trim();
        var tcp = new Dictionary<string, string>
        {
            ["TOOLGRID_API"] = $"http://127.0.0.1:{platform.Port.ToString(CultureInfo.InvariantCulture)}",
            ["TOOLGRID_TOKEN"] = secret,
        };
        var job = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", tcp, "jobs", "run", "by-token", "--command", "true", "--wait");
        Assert.True(job.ExitCode == 0, job.ToString());

        using var http = platform.TcpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        foreach (var (request, code) in new (Func<HttpRequestMessage>, string)[]
        {
            (() => new HttpRequestMessage(HttpMethod.Put, $"/api/v1/tools/{tool}/maintainers/{bob}"), "token-scope"),
            (() => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tools/{tool}"), "token-scope"),
            (() => new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { scope = "admin" }) }, "token-scope"),
            (() => new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { scope = "jobs" }) }, "token-scope"),
        })
        {
            using var message = request();
            using var answer = await http.SendAsync(message);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{message.Method} {message.RequestUri}: {(int)answer.StatusCode} {body}");
            Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("errorCode").GetString());
        }

        // Nothing changed: alice alone maintains the tool, it is not deleted, and the tool has no
        // token but the one of scope jobs.
        var maintainers = JsonDocument.Parse(await platform.MustAsync("alice", "maintainers", "list", tool, "--json")).RootElement;
        Assert.Equal([Platform.Person("alice")], maintainers.EnumerateArray().Select(m => m.GetProperty("user").GetString()));
        using var root = platform.RootClient();
        Assert.False(JsonDocument.Parse(await root.GetStringAsync($"/api/v1/tools/{tool}")).RootElement.GetProperty("disabled").GetBoolean());
        var tokens = await WrapperHarness.RunAsync(platform, unixUser, home, "toolgrid", null, "tokens", "list", "--json");
        Assert.True(tokens.ExitCode == 0, tokens.ToString());
        Assert.Equal(["jobs"], JsonDocument.Parse(tokens.Stdout).RootElement.EnumerateArray().Select(t => t.GetProperty("scope").GetString()));
    }

    [RootFact]
    public async Task At_start_toolgridd_revokes_the_token_an_older_version_wrote_to_a_tools_home_and_removes_the_file()
    {
        const string tool = "ident-legacy";
        var unixUser = WrapperHarness.ToolUser(tool);
        await platform.MustAsync("alice", "tools", "create", tool);
        var secret = "tg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

        // As an older toolgridd left them: the token in the store (as this version's migration
        // leaves it), and the file in the home, the tool's own, 0600 in a 0700 directory.
        await platform.StopAsync();
        // Besides, a token the tool made for itself (after 'become'), which is kept, as scope jobs:
        // a tool's identity never holds scope admin.
        var made = "tg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var madeHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(made)));
        var database = Path.Combine(platform.StateDirectory, "toolgrid.db");
        await Command.MustAsync("sqlite3", database,
            $"INSERT INTO Tokens (UserName, Name, SecretHash, CreatedAt, ExpiresAt, LastUsedAt, RevokedAt, MadeBy, ParentId, Scope) VALUES ('{unixUser}', 'the tool''s own (~/.toolgrid/token)', '{hash}', 0, NULL, NULL, NULL, '', NULL, '')");
        await Command.MustAsync("sqlite3", database,
            $"INSERT INTO Tokens (UserName, Name, SecretHash, CreatedAt, ExpiresAt, LastUsedAt, RevokedAt, MadeBy, ParentId, Scope) VALUES ('{unixUser}', 'bot', '{madeHash}', 0, NULL, NULL, NULL, '', NULL, '')");
        var directory = Path.Combine(platform.HomeOf(tool), ".toolgrid");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "token"), secret + "\n");
        await Command.MustAsync("chown", "-R", $"{unixUser}:{unixUser}", directory);
        await Command.MustAsync("chmod", "0700", directory);
        await Command.MustAsync("chmod", "0600", Path.Combine(directory, "token"));
        await platform.StartAsync();

        Assert.False(Directory.Exists(directory));
        using var tcp = platform.TcpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/whoami");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        using var answer = await tcp.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("revoked", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bot = new HttpRequestMessage(HttpMethod.Get, "/api/v1/whoami");
        bot.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", made);
        using var kept = await tcp.SendAsync(bot);
        var me = JsonDocument.Parse(await kept.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((tool, "jobs"), (me.GetProperty("tool").GetString(), me.GetProperty("scope").GetString()));
    }

    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        try
        {
            return await client.GetStringAsync(path);
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }
}
