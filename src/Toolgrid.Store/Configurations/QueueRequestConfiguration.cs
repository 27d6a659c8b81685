using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Store.Configurations;

internal sealed class QueueRequestConfiguration : IEntityTypeConfiguration<QueueRequest>
{
    public void Configure(EntityTypeBuilder<QueueRequest> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Queue).HasMaxLength(32);
        builder.Property(r => r.ToolName).HasMaxLength(32);
        builder.Property(r => r.Reason).HasMaxLength(QueueRequest.MaxReasonLength);
        builder.Property(r => r.Answer).HasMaxLength(QueueRequest.MaxReasonLength);
        builder.Property(r => r.RequestedBy).HasMaxLength(64);
        builder.Property(r => r.DecidedBy).HasMaxLength(64);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);

        // One open request per tool and queue, even when two are made at the same moment.
        builder.HasIndex(r => new { r.Queue, r.ToolName }).IsUnique().HasFilter("\"State\" = 'Open'");
        builder.HasIndex(r => r.State);
        builder.HasOne<Tool>().WithMany().HasForeignKey(r => r.ToolName).OnDelete(DeleteBehavior.Cascade);
    }
}
