using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Contracts.Tools;
using Toolgrid.Core.Tools;

namespace Toolgrid.Store.Configurations;

internal sealed class ToolConfiguration : IEntityTypeConfiguration<Tool>
{
    public void Configure(EntityTypeBuilder<Tool> builder)
    {
        builder.HasKey(t => t.Name);
        builder.Property(t => t.Name).HasMaxLength(ToolName.MaxLength);
        builder.Property(t => t.Description).HasMaxLength(1024);
        builder.Property(t => t.UnixUser).HasMaxLength(64);
        builder.Property(t => t.Home).HasMaxLength(1024);
        builder.Property(t => t.CreatedBy).HasMaxLength(64);
        builder.Property(t => t.Email).HasMaxLength(254);
        builder.Ignore(t => t.IsActive);
        builder.HasMany(t => t.Maintainers).WithOne().HasForeignKey(m => m.ToolName).OnDelete(DeleteBehavior.Cascade);
    }
}
