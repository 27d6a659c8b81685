using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Toolgrid.Core.Tools;

namespace Toolgrid.Store.Configurations;

internal sealed class PersonLimitConfiguration : IEntityTypeConfiguration<PersonLimit>
{
    public void Configure(EntityTypeBuilder<PersonLimit> builder)
    {
        builder.HasKey(l => l.UserName);
        builder.Property(l => l.UserName).HasMaxLength(64);
        builder.Property(l => l.SetBy).HasMaxLength(64);
    }
}
