using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Tools;

namespace Toolgrid.Store.Configurations;

internal sealed class QueueGrantConfiguration : IEntityTypeConfiguration<QueueGrant>
{
    public void Configure(EntityTypeBuilder<QueueGrant> builder)
    {
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Queue).HasMaxLength(32);
        builder.Property(g => g.ToolName).HasMaxLength(32);
        builder.Property(g => g.GrantedBy).HasMaxLength(64);

        // A tool holds a queue once; a grant goes with its tool.
        builder.HasIndex(g => new { g.Queue, g.ToolName }).IsUnique();
        builder.HasIndex(g => g.ToolName);
        builder.HasOne<Tool>().WithMany().HasForeignKey(g => g.ToolName).OnDelete(DeleteBehavior.Cascade);
    }
}
