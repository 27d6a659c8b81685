using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Diagnostics;
using Toolgrid.Core.Nodes;

namespace Toolgrid.Controller.Tests;

/// <summary>
/// An engine that refuses to drain a node (<c>qmod -d</c> failing): the controller asks again
/// less and less often (2 s, 4 s, 8 s… up to 5 min) instead of at every pass, logs the failure
/// once until it succeeds, warns in <c>toolgrid status</c> meanwhile, and goes on with the rest
/// of its work; a success starts the count again.
/// </summary>
public sealed class EngineDrainRetryTests : IAsyncLifetime
{
    private const int FailedEvent = 2122;
    private const int RecoveredEvent = 2123;

    private ControllerHarness _h = null!;

    public async Task InitializeAsync() => _h = await ControllerHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IEnumerable<string> Warnings => _h.Services.GetServices<IWarningSource>().SelectMany(w => w.Warnings);

    private int Drains => _h.Backend.NodeSteps.Count(s => s == "drain node1");

    private async Task DrainInStoreAsync()
    {
        await using var db = _h.NewContext();
        db.Nodes.Add(new Node { Name = "node1", Backend = "fake", State = NodeState.Up, Slots = 8, DrainedAt = _h.Time.GetUtcNow(), DrainedBy = "root", DrainReason = "kernel upgrade" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_drain_the_engine_refuses_is_asked_again_after_a_doubling_delay_logged_once_and_does_not_hold_up_other_work()
    {
        _h.Backend.SetNodes(RecordingBackend.Node("node1"), RecordingBackend.Node("node2"));
        _h.Backend.DrainFailure = new InvalidOperationException("qmod -d all.q@node1 failed: denied: host \"node1\" is not an execution host");
        await DrainInStoreAsync();
        var (_, run) = await _h.SubmitAsync();

        // The drain fails, and the run queued in the same pass starts all the same.
        await _h.StepAsync();
        Assert.Equal(1, Drains);
        Assert.Equal([run.Id], _h.Backend.Started);

        // Passes before the delay is over do not ask again; the loop's next pass is due when it is over.
        var next = await _h.Loop.StepAsync(_h.Token);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.StepAsync();
        Assert.Equal(1, Drains);
        Assert.Equal(ControllerHarness.Start + TimeSpan.FromSeconds(2), next);
        Assert.Contains(Warnings, w => w.StartsWith("the engine's drain of node node1 failed 1 time(s) in a row (qmod -d all.q@node1 failed", StringComparison.Ordinal));

        // Then 2 s, 4 s, 8 s…
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.StepAsync();
        Assert.Equal(2, Drains);
        _h.Time.Advance(TimeSpan.FromSeconds(3));
        await _h.StepAsync();
        Assert.Equal(2, Drains);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.StepAsync();
        Assert.Equal(3, Drains);
        var warning = Assert.Single(_h.Logs.All, r => r.Event.Id == FailedEvent);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("drain of node node1 failed", warning.Message, StringComparison.Ordinal);

        // The engine takes the drain: the node is drained, said once, and the warning goes.
        _h.Backend.DrainFailure = null;
        _h.Time.Advance(TimeSpan.FromSeconds(8));
        await _h.StepAsync();
        await _h.StepAsync();
        Assert.Equal(4, Drains);
        Assert.True((await _h.Backend.GetNodesAsync(_h.Token)).Single(n => n.Name == "node1").Drained);
        Assert.Equal(["The engine's drain of node node1 succeeded after 3 failed tries"], _h.Logs.Of(RecoveredEvent));
        Assert.DoesNotContain(Warnings, w => w.Contains("node node1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_wait_doubles_up_to_five_minutes_and_a_success_starts_it_again()
    {
        var retries = _h.Services.GetRequiredService<EngineDrainRetries>();
        var now = ControllerHarness.Start;

        var waits = Enumerable.Range(0, 10).Select(_ => retries.Failed("node1", drain: true, "refused", now).Next - now).ToList();
        var before = retries.Succeeded("node1", drain: true);
        var afterSuccess = retries.Failed("node1", drain: true, "refused", now).Next - now;
        var otherStep = retries.Failed("node1", drain: false, "refused", now);

        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256, 300, 300], waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal(10, before);
        Assert.Equal(TimeSpan.FromSeconds(2), afterSuccess);
        Assert.Equal(1, otherStep.Failures);
    }
}
