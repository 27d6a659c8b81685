using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Tools;

namespace Toolgrid.Store.Configurations;

internal sealed class MaintainerConfiguration : IEntityTypeConfiguration<Maintainer>
{
    public void Configure(EntityTypeBuilder<Maintainer> builder)
    {
        builder.HasKey(m => new { m.ToolName, m.UserName });
        builder.Property(m => m.UserName).HasMaxLength(64);
        builder.Property(m => m.AddedBy).HasMaxLength(64);
        builder.HasIndex(m => m.UserName);
    }
}
