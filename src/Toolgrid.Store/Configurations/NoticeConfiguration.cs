using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Notifications;

namespace Toolgrid.Store.Configurations;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.ToolName).HasMaxLength(32);
        builder.Property(n => n.JobName).HasMaxLength(64);
        builder.Property(n => n.Summary).HasMaxLength(2048);
        builder.Property(n => n.Excerpt).HasMaxLength(16 * 1024);
        builder.HasIndex(n => new { n.MailId, n.ToolName });
    }
}
