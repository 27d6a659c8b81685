using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Toolgrid.Server.Tests.Support;

/// <summary>Requests and answers of the API, in as few words as the tests need.</summary>
public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path) =>
        client.GetAsync(Url(path));

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string path) =>
        client.DeleteAsync(Url(path));

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string path) =>
        client.PutAsync(Url(path), content: null);

    /// <summary>Sends <paramref name="body"/> as JSON (an object, or a string sent as it is).</summary>
    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body)
    {
        var content = body is string raw
            ? (HttpContent)new StringContent(raw, Encoding.UTF8, "application/json")
            : JsonContent.Create(body, body.GetType(), options: Json);
        using var request = new HttpRequestMessage(method, Url(path)) { Content = content };
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.SendJsonAsync(HttpMethod.Post, path, body);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, object body) =>
        client.SendJsonAsync(HttpMethod.Patch, path, body);

    /// <summary>The body as <typeparamref name="T"/>, after checking the status.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json) ?? throw new InvalidOperationException($"the body is JSON null: {text}");
    }

    /// <summary>The problem in the body, after checking that it is an RFC 7807 problem with this status and error code.</summary>
    public static async Task<ProblemBody> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json) ?? throw new InvalidOperationException($"the body is JSON null: {text}");
        Assert.Equal(errorCode, problem.ErrorCode);
        Assert.Equal("urn:toolgrid:problem:" + errorCode, problem.Type);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title), text);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), text);
        return problem;
    }

    /// <summary>The problem of a refused input: a 400 <c>validation</c> problem.</summary>
    public static Task<ProblemBody> ValidationProblemAsync(this HttpResponseMessage response) =>
        response.ProblemAsync(HttpStatusCode.BadRequest, "validation");
}
