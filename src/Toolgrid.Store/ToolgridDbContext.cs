using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Toolgrid.Contracts.Runs;
using Toolgrid.Core.Idempotency;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Nodes;
using Toolgrid.Core.Notifications;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Tools;
using Toolgrid.Store.Counts;

namespace Toolgrid.Store;

/// <summary>The store: what should be (tools, jobs) and what was seen (runs, nodes).</summary>
public sealed class ToolgridDbContext(DbContextOptions<ToolgridDbContext> options) : DbContext(options)
{
    public DbSet<Tool> Tools => Set<Tool>();

    public DbSet<Maintainer> Maintainers => Set<Maintainer>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<ApiToken> Tokens => Set<ApiToken>();

    public DbSet<Node> Nodes => Set<Node>();

    public DbSet<Notice> Notices => Set<Notice>();

    public DbSet<Mail> Mails => Set<Mail>();

    /// <summary>The dedicated queues each tool may use.</summary>
    public DbSet<QueueGrant> QueueGrants => Set<QueueGrant>();

    /// <summary>Maintainers' requests for dedicated queues, open and answered.</summary>
    public DbSet<QueueRequest> QueueRequests => Set<QueueRequest>();

    /// <summary>An admin's raises of what one person may have.</summary>
    public DbSet<PersonLimit> PersonLimits => Set<PersonLimit>();

    /// <summary>Creating requests sent with an idempotency key, and their first answers.</summary>
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    /// <summary>How many runs there are in each state, kept by triggers on the runs (<see cref="RunStateCountTriggers"/>).</summary>
    public DbSet<RunStateCount> RunStateCounts => Set<RunStateCount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ToolgridDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no type for DateTimeOffset that sorts and compares in SQL; every time in the
        // store is UTC, so a 64-bit encoding of ticks keeps order and lets queries filter on times.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }

        configurationBuilder.Properties<RunState>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RunReason>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<JobKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<EmailPolicy>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<NodeState>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RestartPolicy>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ConcurrencyPolicy>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<CatchUpPolicy>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<WebserviceType>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<NoticeKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<TokenScope>().HaveConversion<string>().HaveMaxLength(16);
    }
}
