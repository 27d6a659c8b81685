using System.Net;
using System.Text;
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
        { "post", "/api/v1/tools/{tool}/jobs/{job}/runs" },
        { "delete", "/api/v1/tools/{tool}/runs/{run}" },
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

    [ApiTheory]
    [InlineData("POST", "/api/v1/tools", "text/plain")]
    [InlineData("POST", "/api/v1/tools", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/api/v1/tools/some-tool/jobs", "text/plain")]
    [InlineData("PATCH", "/api/v1/tools/some-tool", "application/xml")]
    public async Task A_body_of_another_content_type_answers_415_saying_to_send_JSON(string method, string path, string contentType)
    {
        using var nobody = factory.As(People.Nobody);
        using var request = new HttpRequestMessage(new HttpMethod(method), Http.Url(path))
        {
            Content = new StringContent("""{"name": "typed"}""", Encoding.UTF8, contentType),
        };

        using var response = await nobody.SendAsync(request);

        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Contains("Content-Type: application/json", problem.Detail, StringComparison.Ordinal);
        Assert.Contains(contentType, problem.Detail, StringComparison.Ordinal);
    }

    [ApiTheory]
    [InlineData("/api/v1/tools/some-tool/jobs/some-job?wait=maybe", "wait", "wait takes true or false; got 'maybe'.")]
    [InlineData("/api/v1/tools/some-tool/jobs/some-job?wait=true&timeout=soon", "timeout", "timeout takes a whole number; got 'soon'.")]
    [InlineData("/api/v1/tools?all=everything", "all", "all takes true or false; got 'everything'.")]
    public async Task A_query_value_of_the_wrong_type_answers_400_naming_the_parameter_in_plain_words(string path, string field, string message)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.GetAsync(path);

        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "bad-request");
        Assert.Equal(message, problem.MessageFor(field));
        Assert.Equal(message, problem.Detail);
        Assert.DoesNotContain("bind", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Nullable", text, StringComparison.Ordinal);
    }

    [ApiTheory]
    [InlineData("{\"name\": \"x\",", "the body is not valid JSON: it ends too early, at line 1, column 14; check that every { [ and \" is closed.")]
    [InlineData("{\n  \"name\": \"x\",\n  \"command\": 'true'\n}", "the body is not valid JSON: at line 3, column 14 (character '); check the quotes, commas and brackets there.")]
    [InlineData("", "the body is not valid JSON: it is empty; send a JSON object.")]
    public async Task A_body_that_is_not_JSON_answers_400_naming_where_in_plain_words(string body, string message)
    {
        using var nobody = factory.As(People.Nobody);

        using var response = await nobody.PostJsonAsync("/api/v1/tools", body);

        var text = await response.Content.ReadAsStringAsync();
        var problem = await response.ValidationProblemAsync();
        Assert.Equal(message, problem.MessageFor("body"));
        Assert.DoesNotContain("BytePositionInLine", text, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Path: $", text, StringComparison.Ordinal);
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
