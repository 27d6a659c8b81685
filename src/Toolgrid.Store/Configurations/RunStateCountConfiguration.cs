using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Store.Counts;

namespace Toolgrid.Store.Configurations;

internal sealed class RunStateCountConfiguration : IEntityTypeConfiguration<RunStateCount>
{
    public void Configure(EntityTypeBuilder<RunStateCount> builder)
    {
        builder.ToTable(RunStateCountTriggers.Table);
        builder.HasKey(c => c.State);
        builder.Property(c => c.State).HasMaxLength(16);
    }
}
