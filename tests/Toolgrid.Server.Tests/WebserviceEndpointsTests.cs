using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary><c>/api/v1/tools/{tool}/webservice</c>: the settings the proxy reads from a web service.</summary>
public sealed class WebserviceEndpointsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    [ApiFact]
    public async Task Dot_paths_are_refused_unless_asked_for_and_each_start_says_again()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("dotted");

        using var plain = await nobody.PostJsonAsync("/api/v1/tools/dotted/webservice", new { command = "./serve" });
        var refused = await plain.ReadAsync<WebserviceView>();
        using var allowing = await nobody.PostJsonAsync("/api/v1/tools/dotted/webservice", new { command = "./serve", allowDotPaths = true });
        var allowed = await allowing.ReadAsync<WebserviceView>();
        using var shown = await nobody.GetAsync("/api/v1/tools/dotted/webservice");
        var read = await shown.ReadAsync<WebserviceView>();
        using var again = await nobody.PostJsonAsync("/api/v1/tools/dotted/webservice", new { command = "./serve" });
        var restated = await again.ReadAsync<WebserviceView>();

        Assert.False(refused.AllowDotPaths);
        Assert.True(allowed.AllowDotPaths);
        Assert.True(read.AllowDotPaths);
        Assert.False(restated.AllowDotPaths);
        Assert.Null(read.Warning);
    }

    [ApiFact]
    public async Task Dot_paths_for_a_static_web_service_are_refused_naming_the_field()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("staticdots");

        using var response = await nobody.PostJsonAsync("/api/v1/tools/staticdots/webservice", new { type = "static", allowDotPaths = true });
        var problem = await response.ValidationProblemAsync();

        Assert.Contains("static web service runs no process", problem.MessageFor("allowDotPaths"), StringComparison.Ordinal);
    }
}
