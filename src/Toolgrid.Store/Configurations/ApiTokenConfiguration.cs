using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Identity;

namespace Toolgrid.Store.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.UserName).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(128);
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.Property(t => t.MadeBy).HasMaxLength(128);
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.HasIndex(t => t.UserName);

        // A token made with a token; parents are revoked, never deleted, while children exist.
        builder.HasOne<ApiToken>().WithMany().HasForeignKey(t => t.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
