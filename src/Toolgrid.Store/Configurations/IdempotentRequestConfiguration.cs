using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Idempotency;

namespace Toolgrid.Store.Configurations;

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public void Configure(EntityTypeBuilder<IdempotentRequest> builder)
    {
        builder.HasKey(r => new { r.Caller, r.Key });
        builder.Property(r => r.Caller).HasMaxLength(64);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyRules.MaxKeyLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.Request).HasMaxLength(512);
        builder.Property(r => r.ContentType).HasMaxLength(128);
        builder.Property(r => r.Location).HasMaxLength(1024);

        // Trimming deletes by age.
        builder.HasIndex(r => r.CreatedAt);
    }
}
