namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// A <see cref="Platform"/> whose proxy has nginx as its data plane (<c>Toolgrid:Proxy:DataPlane=nginx</c>):
/// nginx listens on the proxy's port, toolgridd's own proxy on a loopback port behind it.
/// </summary>
public sealed class NginxPlatform : IAsyncLifetime
{
    public const string NginxBinary = "/usr/sbin/nginx";

    public Platform Platform { get; } = new();

    /// <summary>Whether the tests can run here: as root, with nginx installed (test.sh installs nginx-light).</summary>
    public static bool CanRun => Platform.IsRoot && File.Exists(NginxBinary);

    public string Directory => Path.Combine(Platform.StateDirectory, "nginx");

    public async Task InitializeAsync()
    {
        if (!CanRun)
        {
            return;
        }

        Platform.ExtraArguments.AddRange(["--Toolgrid:Proxy:DataPlane=nginx", "--Toolgrid:Proxy:NginxWorkers=1"]);
        await Platform.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (CanRun)
        {
            await Platform.DisposeAsync();
        }
    }
}

/// <summary>The nginx data plane's tests: a platform of their own, one end-to-end platform per machine at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NginxShared : ICollectionFixture<NginxPlatform>
{
    public const string Name = "nginx";
}

/// <summary>A test of the nginx data plane: skipped, saying why, where it cannot run.</summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (!Platform.IsRoot)
        {
            Skip = "needs root: it makes Unix users and cgroups (CI runs as root)";
        }
        else if (!File.Exists(NginxPlatform.NginxBinary))
        {
            Skip = $"needs nginx at {NginxPlatform.NginxBinary}: apt-get install nginx-light (test.sh does)";
        }
    }
}
