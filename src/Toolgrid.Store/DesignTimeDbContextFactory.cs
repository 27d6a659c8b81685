using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Toolgrid.Store;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ToolgridDbContext>
{
    public ToolgridDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ToolgridDbContext>();
        SqliteStore.Configure(builder, new StoreOptions { Path = Path.Combine(Path.GetTempPath(), "toolgrid-design.db") });
        return new ToolgridDbContext(builder.Options);
    }
}
