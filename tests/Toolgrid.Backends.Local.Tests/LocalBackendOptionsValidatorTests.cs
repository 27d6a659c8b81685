using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Tests;

public sealed class LocalBackendOptionsValidatorTests
{
    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var options = new LocalBackendOptions
        {
            RunDirectory = "runs",
            ShepherdPath = "/nonexistent/tg-shepherd",
            MemoryOvercommit = 0,
            Slots = 0,
            CgroupParent = "../escape",
            RescanInterval = TimeSpan.Zero,
            ListenAddress = "localhost",
        };
        options.Queues.Add("Not A Queue");

        var result = new LocalBackendOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(8, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("ListenAddress must be an IP address", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("RunDirectory", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("/nonexistent/tg-shepherd does not exist", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("CgroupParent", StringComparison.Ordinal));
    }

    [Fact]
    public void A_notify_socket_path_too_long_for_a_Unix_socket_is_refused()
    {
        var options = new LocalBackendOptions { RunDirectory = "/" + new string('r', 120) };

        var result = new LocalBackendOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("longer than a Unix socket path", StringComparison.Ordinal));
    }

    [Fact]
    public void AddLocalBackend_binds_the_options_and_registers_the_backend()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Toolgrid:Local:RunDirectory"] = "/var/lib/toolgrid/test-runs",
                ["Toolgrid:Local:Queues:0"] = "big",
                ["Toolgrid:Local:Slots"] = "16",
            })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();

        services.AddLocalBackend().Configure(o => o.NodeName = "node7");
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<LocalBackendOptions>>().Value;

        Assert.Equal(("/var/lib/toolgrid/test-runs", 16, "node7"), (options.RunDirectory, options.Slots, options.NodeName));
        Assert.Equal(["big"], options.Queues);
        Assert.Contains(services, d => d.ServiceType == typeof(IBackend));
        Assert.Contains(services, d => d.ServiceType == typeof(IValidateOptions<LocalBackendOptions>));
    }
}
