using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolgrid.Controller.Tests.Support;
using Toolgrid.Core.Accounts;
using Toolgrid.Core.Backends;
using Toolgrid.Core.Identity;
using Toolgrid.Store;

namespace Toolgrid.Controller.Tests;

/// <summary>
/// The jobs an engine lists that Toolgrid did not start: those of tools' users are warned of in
/// <c>toolgrid status</c> while they are listed and logged once each; everyone else's are not.
/// </summary>
public sealed class OutsideJobReportsTests : IAsyncLifetime, IDisposable
{
    private const int FoundEvent = 2500;

    private readonly ListingEngine _engine = new();
    private ControllerHarness _h = null!;
    private ILoggerFactory _loggers = null!;
    private OutsideJobReports _reports = null!;

    public async Task InitializeAsync()
    {
        _h = await ControllerHarness.CreateAsync();
        _loggers = LoggerFactory.Create(b => b.AddProvider(_h.Logs));
        _reports = new OutsideJobReports(
            _engine,
            new Accounts(AccountMode.MultiUser),
            _h.Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>(),
            _h.Services.GetRequiredService<IOptions<ControllerOptions>>(),
            _h.Time,
            _loggers.CreateLogger<OutsideJobReports>());
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public void Dispose()
    {
        _reports.Dispose();
        _loggers.Dispose();
    }

    [Fact]
    public async Task A_tools_job_is_warned_of_while_listed_and_logged_once_a_persons_is_not()
    {
        await _h.AddToolAsync("bot");
        _engine.Jobs = [new OutsideJob("42", "crawl", "tools.bot", null), new OutsideJob("7", "analysis", "alice", null)];

        await _reports.CheckAsync(_h.Token);
        _engine.Jobs = [.. _engine.Jobs!];
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        await _reports.CheckAsync(_h.Token);
        var listed = _reports.Warnings;
        _engine.Jobs = [new OutsideJob("7", "analysis", "alice", null)];
        await _reports.CheckAsync(_h.Token);

        var warning = Assert.Single(listed);
        Assert.StartsWith("Test engine job 42 'crawl' of tool bot (Unix user tools.bot) was not started by Toolgrid", warning, StringComparison.Ordinal);
        Assert.Contains(warning, Assert.Single(_h.Logs.Of(FoundEvent)), StringComparison.Ordinal);
        Assert.Empty(_reports.Warnings);
    }

    [Fact]
    public async Task A_job_of_a_tool_user_no_tool_has_is_warned_of_too()
    {
        _engine.Jobs = [new OutsideJob("9", "old", "tools.gone", 50123)];

        await _reports.CheckAsync(_h.Token);

        Assert.Contains("of Unix user tools.gone (uid 50123), a tool's user that no tool here has", Assert.Single(_reports.Warnings), StringComparison.Ordinal);
    }

    private sealed class ListingEngine : IOutsideJobs
    {
        public string Engine => "Test engine";

        public string DeleteProgram => "tdel";

        public IReadOnlyList<OutsideJob>? OutsideJobs => Jobs;

        public IReadOnlyList<OutsideJob>? Jobs { get; set; }
    }

    /// <summary>Tools' users are those named <c>tools.*</c>; nothing else is asked of the accounts here.</summary>
    private sealed class Accounts(AccountMode mode) : IToolAccounts
    {
        public AccountMode Mode => mode;

        public string? UnixUserPrefix => "tools.";

        public bool IsToolUser(string unixUser, int? uid) => unixUser.StartsWith("tools.", StringComparison.Ordinal);

        public Task<ToolAccount> CreateAsync(string tool, string firstMaintainer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddMaintainerAsync(string tool, string user, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveMaintainerAsync(string tool, string user, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DisableAsync(string tool, CancellationToken cancellationToken) => throw new NotSupportedException();

        public PersonRefusal? WhyNotAMaintainer(string user) => throw new NotSupportedException();

        public Task SyncBecomeRulesAsync(IReadOnlyCollection<string> activeTools, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<LegacyTokenFileOutcome> RemoveLegacyTokenFileAsync(string tool, Func<string, bool> isOurs, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
