using Microsoft.AspNetCore.Hosting;

namespace Toolgrid.Server.Tests.Support;

/// <summary>The API server of a site whose backend is Grid Engine (the API role alone: no engine is asked anything).</summary>
public sealed class GridBackendApiFactory : ToolgridApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Toolgrid:Backend", "gridengine");
    }
}
