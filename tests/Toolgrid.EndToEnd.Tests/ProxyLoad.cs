using System.Net;

namespace Toolgrid.EndToEnd.Tests;

/// <summary>A steady request loop through the proxy (<see cref="ProxyPages.Load"/>): who answered, and every failed request.</summary>
public sealed class ProxyLoad : IAsyncDisposable
{
    private readonly Dictionary<string, int> _servedBy = new(StringComparer.Ordinal);
    private readonly List<string> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _load;

    internal ProxyLoad(ProxyPages proxy, string path, Func<HttpStatusCode, string, string?> replicaOf)
    {
        async Task LoadAsync()
        {
            using var client = proxy.Client();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync(path);
                    var body = await response.Content.ReadAsStringAsync();
                    var replica = replicaOf(response.StatusCode, body);
                    lock (_servedBy)
                    {
                        if (replica is null)
                        {
                            _failures.Add($"{(int)response.StatusCode}: {Text(body)}");
                        }
                        else
                        {
                            _servedBy[replica] = _servedBy.GetValueOrDefault(replica) + 1;
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    lock (_servedBy)
                    {
                        _failures.Add(e.Message);
                    }
                }
            }
        }

        _load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(LoadAsync)));
    }

    /// <summary>The words of an answer (a page's tags and spaces left out), shortened.</summary>
    private static string Text(string body)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(body, "<style[^<]*</style>|<[^>]*>|\\s+", " ").Trim();
        return text[..Math.Min(text.Length, 300)];
    }

    /// <summary>The replicas that answered so far.</summary>
    public IReadOnlyCollection<string> Replicas()
    {
        lock (_servedBy)
        {
            return _servedBy.Keys.ToList();
        }
    }

    /// <summary>Stops the load; then, the requests each replica answered and the failures.</summary>
    public async Task<(IReadOnlyDictionary<string, int> ServedBy, IReadOnlyList<string> Failures)> StopAsync()
    {
        await _stop.CancelAsync();
        await _load;
        lock (_servedBy)
        {
            return (new Dictionary<string, int>(_servedBy, StringComparer.Ordinal), _failures.ToList());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
