using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Core.Jobs;

namespace Toolgrid.Store.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasKey(j => j.Id);
        builder.Property(j => j.ToolName).HasMaxLength(32);
        builder.Property(j => j.Name).HasMaxLength(JobName.MaxLength);
        builder.Property(j => j.Command).HasMaxLength(JobRules.MaxCommandLength);
        builder.Property(j => j.Queue).HasMaxLength(32);
        builder.Property(j => j.StdoutPath).HasMaxLength(1024);
        builder.Property(j => j.StderrPath).HasMaxLength(1024);
        builder.Property(j => j.CreatedBy).HasMaxLength(64);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Property(j => j.HealthCheckScript).HasMaxLength(JobRules.MaxCommandLength);
        builder.Property(j => j.HealthCheckHttpPath).HasMaxLength(1024);
        builder.Property(j => j.Schedule).HasMaxLength(128);
        builder.Property(j => j.TimeZone).HasMaxLength(64);
        builder.Property(j => j.WorkingDirectory).HasMaxLength(1024);
        builder.Property(j => j.Environment).HasConversion(EnvironmentConversion.Converter, EnvironmentConversion.Comparer);
        builder.Ignore(j => j.EffectiveStdoutPath);
        builder.Ignore(j => j.EffectiveStderrPath);

        // A name is unique among a tool's live jobs; a deleted job keeps its row (while its runs
        // stop) without blocking a new job of the same name.
        builder.HasIndex(j => new { j.ToolName, j.Name }).IsUnique().HasFilter("\"DeletedAt\" IS NULL");
        builder.HasIndex(j => j.DeletedAt);

        // The scheduler's pass reads the scheduled jobs due by now (and its lead time) through this.
        builder.HasIndex(j => j.NextDueAt);
        builder.HasOne<Core.Tools.Tool>().WithMany().HasForeignKey(j => j.ToolName).OnDelete(DeleteBehavior.Restrict);
    }
}
