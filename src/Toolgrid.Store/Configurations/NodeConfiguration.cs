using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Nodes;

namespace Toolgrid.Store.Configurations;

internal sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.HasKey(n => n.Name);
        builder.Property(n => n.Name).HasMaxLength(255);
        builder.Property(n => n.Backend).HasMaxLength(32);
        builder.Property(n => n.Queues).HasMaxLength(1024);
    }
}
