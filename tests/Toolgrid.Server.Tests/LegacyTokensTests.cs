using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Contracts.Api;
using Toolgrid.Core.Identity;
using Toolgrid.Server.Identity;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <see cref="LegacyTokens"/>: what toolgridd's start does to tokens an older version made. Its
/// tokens keep working with scope admin and an expiry; the tokens it wrote to tools' homes are
/// revoked and their files removed.
/// </summary>
public sealed class LegacyTokensTests(FakeClockApiFactory factory) : IClassFixture<FakeClockApiFactory>
{
    [ApiFact]
    public async Task A_token_from_before_scopes_keeps_working_as_admin_and_expires_90_days_after_the_upgrade()
    {
        var secret = await AddOldTokenAsync(People.Daemon, "old laptop");

        await factory.Services.GetRequiredService<LegacyTokens>().UpgradeAsync(CancellationToken.None);

        using var old = factory.WithToken(secret);
        var me = await old.GetJsonAsync<WhoAmIView>("/api/v1/whoami");
        var listed = Assert.Single(await old.GetJsonAsync<List<TokenView>>("/api/v1/tokens"), t => t.Name == "old laptop");
        Assert.Equal((People.Daemon, "admin"), (me.User, me.Scope));
        Assert.Equal((factory.Clock.GetUtcNow().AddDays(90), LegacyTokens.NotRecorded), (listed.ExpiresAt, listed.MadeBy));
        factory.Clock.Advance(TimeSpan.FromDays(90));
        using var expired = await old.GetAsync("/api/v1/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [ApiFact]
    public async Task The_tools_own_token_is_revoked_and_its_file_removed_and_the_tools_own_files_kept()
    {
        using var nobody = factory.As(People.Nobody);
        var tool = await nobody.CreateToolAsync("legacy-tool");
        await nobody.CreateToolAsync("legacy-other");
        var secret = await AddOldTokenAsync(tool.UnixUser, LegacyTokens.ToolTokenName);
        var file = WriteTokenFile("legacy-tool", secret);
        var notOurs = WriteTokenFile("legacy-other", "tg_written_by_the_tool_itself");

        await factory.Services.GetRequiredService<LegacyTokens>().UpgradeAsync(CancellationToken.None);
        await factory.Services.GetRequiredService<LegacyTokens>().UpgradeAsync(CancellationToken.None);

        using var old = factory.WithToken(secret);
        using var refused = await old.GetAsync("/api/v1/whoami");
        Assert.Contains("revoked", (await refused.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated")).Detail, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.False(Directory.Exists(Path.GetDirectoryName(file)));
        Assert.Equal("tg_written_by_the_tool_itself\n", await File.ReadAllTextAsync(notOurs));
    }

    /// <summary>A token as the version before scopes left it in the store (after this version's migration).</summary>
    private async Task<string> AddOldTokenAsync(string user, string name)
    {
        var secret = TokenSecrets.NewSecret();
        await using var db = factory.Store();
        var token = new ApiToken { UserName = user, Name = name, SecretHash = TokenSecrets.Hash(secret), Scope = TokenScope.Read, MadeBy = "x", CreatedAt = factory.Clock.GetUtcNow().AddYears(-1) };
        db.Tokens.Add(token);
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlAsync($"UPDATE Tokens SET Scope = '', MadeBy = '', ExpiresAt = NULL WHERE Id = {token.Id}");
        return secret;
    }

    private string WriteTokenFile(string tool, string content)
    {
        var directory = Path.Combine(factory.HomeOf(tool), ".toolgrid");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "token");
        File.WriteAllText(file, content + "\n");
        return file;
    }
}
