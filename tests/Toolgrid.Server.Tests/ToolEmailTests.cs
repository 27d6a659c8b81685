using System.Net;
using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>A tool's own mail address: given at creation, changed with <c>PATCH /api/v1/tools/{tool}</c>.</summary>
public sealed class ToolEmailTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [ApiFact]
    public async Task Create_with_an_email_keeps_it_and_patch_changes_and_removes_it()
    {
        using var nobody = factory.As(People.Nobody);

        using var created = await nobody.PostJsonAsync("/api/v1/tools", new { name = "mailer", email = " mailer@example.org " });
        Assert.Equal("mailer@example.org", (await created.ReadAsync<ToolView>(HttpStatusCode.Created)).Email);

        using var changed = await nobody.PatchJsonAsync("/api/v1/tools/mailer", new { email = "bots@example.org", description = "Mails things" });
        var tool = await changed.ReadAsync<ToolView>();
        Assert.Equal("bots@example.org", tool.Email);
        Assert.Equal("Mails things", tool.Description);

        using var removed = await nobody.PatchJsonAsync("/api/v1/tools/mailer", new { email = "none" });
        Assert.Null((await removed.ReadAsync<ToolView>()).Email);
        Assert.Equal("Mails things", (await nobody.GetToolAsync("mailer")).Description);
    }

    [ApiTheory]
    [InlineData("not-an-address")]
    [InlineData("Bob <bob@example.org>")]
    [InlineData("a@b")]
    [InlineData("a@example.org, b@example.org")]
    [InlineData("a b@example.org")]
    public async Task A_bad_address_is_refused_and_changes_nothing(string email)
    {
        using var nobody = factory.As(People.Nobody);
        var name = "bad" + Math.Abs(email.GetHashCode(StringComparison.Ordinal) % 100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await nobody.CreateToolAsync(name);
        var before = await StoreSnapshot.TakeAsync(factory);

        using var patched = await nobody.PatchJsonAsync($"/api/v1/tools/{name}", new { email });
        using var created = await nobody.PostJsonAsync("/api/v1/tools", new { name = name + "x", email });

        Assert.Contains("not a mail address", (await patched.ValidationProblemAsync()).MessageFor("email"), StringComparison.Ordinal);
        Assert.Contains("not a mail address", (await created.ValidationProblemAsync()).MessageFor("email"), StringComparison.Ordinal);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(factory));
    }

    [ApiFact]
    public async Task Only_a_maintainer_may_change_it()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("guarded");
        using var other = factory.As(People.Daemon);

        using var response = await other.PatchJsonAsync("/api/v1/tools/guarded", new { email = "x@example.org" });

        await response.ProblemAsync(HttpStatusCode.Forbidden, "not-a-maintainer");
        Assert.Null((await nobody.GetToolAsync("guarded")).Email);
    }
}
