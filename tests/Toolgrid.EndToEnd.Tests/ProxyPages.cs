using System.Globalization;
using System.Net;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>Requests through the platform's front proxy, as a web visitor makes them; shared by the web service tests of every backend.</summary>
public sealed class ProxyPages(Platform platform)
{
    /// <summary>A client of the proxy: no redirects followed, no proxy, no cookies.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{platform.ProxyPort.ToString(CultureInfo.InvariantCulture)}"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var client = Client();
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asks until the answer passes <paramref name="check"/>; a timeout says the last answer, the web service's state and the log.</summary>
    public async Task WaitForAsync(string path, Func<HttpStatusCode, string, bool> check, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetUtcNow() + within;
        var last = "(no answer)";
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            try
            {
                var (status, body) = await GetAsync(path);
                if (check(status, body))
                {
                    return;
                }

                last = $"{(int)status}: {body[..Math.Min(body.Length, 400)]}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        using var client = platform.RootClient();
        var webservice = await client.GetStringAsync($"/api/v1/tools/{path.Trim('/').Split('/')[0]}/webservice");
        throw new TimeoutException($"after {within}, the proxy still answers {path} with {last}\nweb service: {webservice}\n{platform.Log}");
    }

    /// <summary>
    /// Four clients ask <paramref name="path"/> without a pause until the load is disposed; each
    /// answer is a replica's (<paramref name="replicaOf"/> says whose, or null when it is not a
    /// good answer, which counts as a failure).
    /// </summary>
    public ProxyLoad Load(string path, Func<HttpStatusCode, string, string?> replicaOf) => new(this, path, replicaOf);
}
