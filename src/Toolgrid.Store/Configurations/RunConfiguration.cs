using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Runs;
using Toolgrid.Store.Counts;

namespace Toolgrid.Store.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.HasKey(r => r.Id);

        // Its AFTER triggers keep the counts of runs by state; SQLite's RETURNING does not go with them.
        builder.ToTable(t =>
        {
            t.UseSqlReturningClause(false);
            t.HasTrigger(RunStateCountTriggers.Inserted);
            t.HasTrigger(RunStateCountTriggers.StateChanged);
            t.HasTrigger(RunStateCountTriggers.Deleted);
        });
        builder.Property(r => r.ToolName).HasMaxLength(32);
        builder.Property(r => r.JobName).HasMaxLength(JobName.MaxLength);
        builder.Property(r => r.Command).HasMaxLength(JobRules.MaxCommandLength);
        builder.Property(r => r.Message).HasMaxLength(2048);
        builder.Property(r => r.Node).HasMaxLength(255);
        builder.Property(r => r.ListensOutside).HasMaxLength(Run.MaxListensOutside);
        builder.Property(r => r.Queue).HasMaxLength(32);
        builder.Property(r => r.LaunchQueue).HasMaxLength(32);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Ignore(r => r.IsTerminal);
        builder.Ignore(r => r.IsActive);
        builder.HasIndex(r => r.State);
        builder.HasIndex(r => new { r.Node, r.Port });
        builder.HasIndex(r => new { r.JobId, r.Id });
        builder.HasIndex(r => r.JobId, "IX_Runs_JobId_NotEnded").HasFilter(RunQueries.NotEndedFilter);
        builder.HasOne<Job>().WithMany().HasForeignKey(r => r.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
