using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Notifications;

namespace Toolgrid.Store.Configurations;

internal sealed class MailConfiguration : IEntityTypeConfiguration<Mail>
{
    public void Configure(EntityTypeBuilder<Mail> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ToolName).HasMaxLength(32);
        builder.Property(m => m.Recipients).HasMaxLength(4096);
        builder.Property(m => m.Subject).HasMaxLength(512);
        builder.Property(m => m.LastError).HasMaxLength(2048);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasIndex(m => m.NextAttemptAt);
    }
}
