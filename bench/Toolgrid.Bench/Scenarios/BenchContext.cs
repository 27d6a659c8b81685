using Toolgrid.Bench.Server;
using Toolgrid.Cli.Api;

namespace Toolgrid.Bench.Scenarios;

/// <summary>What every scenario works with: the running toolgridd, a client on its socket (as root, an admin), the bench tool and the clock.</summary>
internal sealed class BenchContext(BenchServer server, ToolgridClient client, string tool)
{
    private static readonly string[] Active = ["queued", "starting", "running"];

    public BenchServer Server { get; } = server;

    public ToolgridClient Client { get; } = client;

    public string Tool { get; } = tool;

    public TimeProvider Time { get; } = TimeProvider.System;

    /// <summary>Polls until <paramref name="done"/> holds, every <paramref name="interval"/>, for at most <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan interval, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var begun = Time.GetTimestamp();
        while (!await done())
        {
            if (Time.GetElapsedTime(begun) > timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(interval, Time, cancellationToken);
        }
    }

    /// <summary>Runs of the tool that are queued, starting or running, from /api/v1/status.</summary>
    public async Task<int> ActiveRunsAsync(CancellationToken cancellationToken)
    {
        var status = await Client.GetStatusAsync(cancellationToken);
        return Active.Sum(s => status.Runs.TryGetValue(s, out var n) ? n : 0);
    }
}
