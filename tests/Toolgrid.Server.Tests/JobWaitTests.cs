using Toolgrid.Contracts.Api;
using Toolgrid.Server.Tests.Support;

namespace Toolgrid.Server.Tests;

/// <summary>
/// <c>GET …/jobs/{job}?wait=true</c> on the server's clock: the long poll's timeout is time on
/// that clock, which the test moves, so no real time passes for it.
/// </summary>
public sealed class JobWaitTests(FakeClockApiFactory factory) : IClassFixture<FakeClockApiFactory>
{
    /// <summary>Only catches a hang.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [ApiFact]
    public async Task Get_with_wait_on_a_queued_job_answers_when_the_timeout_has_passed_with_finished_false()
    {
        using var nobody = factory.As(People.Nobody);
        await nobody.CreateToolAsync("patient");
        await nobody.RunJobAsync("patient", "slow");
        var asked = factory.Clock.GetUtcNow();

        var waiting = nobody.GetJsonAsync<JobView>("/api/v1/tools/patient/jobs/slow?wait=true&timeout=30");
        var job = await AdvanceUntilDoneAsync(waiting);

        Assert.False(job.Finished);
        Assert.Equal("queued", Assert.Single(job.Runs).State);
        Assert.True(factory.Clock.GetUtcNow() - asked >= TimeSpan.FromSeconds(30), $"answered at {factory.Clock.GetUtcNow():O}, before the 30 s timeout after {asked:O}");
    }

    /// <summary>Moves the server's clock on a second at a time until <paramref name="task"/> is done.</summary>
    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!task.IsCompleted)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Patience, "the answer never came while the clock moved");
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        return await task;
    }
}
