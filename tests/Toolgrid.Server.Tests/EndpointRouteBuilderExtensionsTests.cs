using System.Net;
using System.Text.Json;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>What toolgridd serves besides the resources: the OpenAPI document and an answer for paths it does not know.</summary>
public sealed class EndpointRouteBuilderExtensionsTests(ToolgridApiFactory factory) : IClassFixture<ToolgridApiFactory>
{
    /// <summary>The resources of docs/api.md.</summary>
    public static readonly TheoryData<string, string> DocumentedEndpoints = new()
    {
        { "get", "/api/v1/whoami" },
        { "get", "/api/v1/status" },
        { "get", "/api/v1/tools" },
        { "post", "/api/v1/tools" },
        { "get", "/api/v1/tools/{tool}" },
        { "delete", "/api/v1/tools/{tool}" },
        { "get", "/api/v1/tools/{tool}/maintainers" },
        { "put", "/api/v1/tools/{tool}/maintainers/{user}" },
        { "delete", "/api/v1/tools/{tool}/maintainers/{user}" },
        { "patch", "/api/v1/tools/{tool}/limits" },
        { "get", "/api/v1/tools/{tool}/jobs" },
        { "post", "/api/v1/tools/{tool}/jobs" },
        { "delete", "/api/v1/tools/{tool}/jobs" },
        { "get", "/api/v1/tools/{tool}/jobs/{job}" },
        { "delete", "/api/v1/tools/{tool}/jobs/{job}" },
        { "get", "/api/v1/tools/{tool}/jobs/{job}/logs" },
        { "get", "/api/v1/tokens" },
        { "post", "/api/v1/tokens" },
        { "delete", "/api/v1/tokens/{id}" },
    };

    [Theory]
    [MemberData(nameof(DocumentedEndpoints))]
    public async Task The_OpenAPI_document_is_served_without_a_token_and_lists_every_documented_endpoint(string method, string path)
    {
        using var anonymous = factory.Anonymous();

        using var response = await anonymous.GetAsync("/api/v1/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("Toolgrid API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is not in the document");
    }

    [ApiTheory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/api/v2/tools")]
    [InlineData("POST", "/api/v1/whoami")]
    [InlineData("PATCH", "/api/v1/tools")]
    [InlineData("DELETE", "/api/v1/tokens/not-a-number")]
    [InlineData("GET", "/api/v1/tools/some-tool/jobs/some-job/runs")]
    public async Task An_unknown_API_endpoint_answers_404_no_such_endpoint_pointing_to_the_document(string method, string path)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.SendAsync(new HttpRequestMessage(new HttpMethod(method), Http.Url(path)));

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "no-such-endpoint");
        Assert.Contains($"{method} {path}", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("/api/v1/openapi.json", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_page_says_where_the_API_is()
    {
        using var anonymous = factory.Anonymous();

        using var response = await anonymous.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/v1/openapi.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
