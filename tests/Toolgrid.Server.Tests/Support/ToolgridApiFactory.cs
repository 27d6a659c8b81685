using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Toolgrid.Core.Identity;
using Toolgrid.Core.Runs;
using Toolgrid.Server.Hosting;
using Toolgrid.Server.Identity;
using Toolgrid.Store;

namespace Toolgrid.Server.Tests.Support;

/// <summary>
/// The real toolgridd in process, over TestServer, with a temporary data root and state
/// directory of its own. Its configuration is what an operator would give: the API role only
/// (no controller, no backend, so submitted runs stay queued), single-user accounts (no real
/// Unix users), and no socket or TCP listener.
/// </summary>
/// <remarks>
/// <see cref="ServerHost.Build"/> reads its settings before the host is built; the settings
/// below reach it because WebApplicationFactory passes host settings to the entry point as
/// command-line arguments (its deferred host builder).
/// </remarks>
public class ToolgridApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _secretsLock = new();

    public ToolgridApiFactory()
    {
        Root = Directory.CreateTempSubdirectory("toolgrid-api-tests-").FullName;
        DataRoot = Path.Combine(Root, "data");
        StateDirectory = Path.Combine(Root, "state");
    }

    /// <summary>The temporary directory that holds everything this server writes.</summary>
    public string Root { get; }

    /// <summary>Where tools' homes are.</summary>
    public string DataRoot { get; }

    public string StateDirectory { get; }

    /// <summary>The roles the server plays: the API alone, so nothing places or starts a run.</summary>
    protected virtual string ServerRoles => "api";

    /// <summary>A client that sends no credentials at all.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client that calls as <paramref name="user"/>, with a bearer token made for it in the store.</summary>
    public HttpClient As(string user)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecretOf(user));
        return client;
    }

    /// <summary>A client that sends <paramref name="secret"/> as its bearer token.</summary>
    public HttpClient WithToken(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>
    /// Puts a token for <paramref name="user"/> straight into the store, as <c>toolgrid tokens create</c>
    /// would on the socket; returns its secret. Scope admin (all the user may do) and ten years
    /// on the server's clock unless said otherwise.
    /// </summary>
    public string AddToken(string user, DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null, TokenScope scope = TokenScope.Admin)
    {
        var secret = TokenSecrets.NewSecret();
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        using var db = Store();
        db.Tokens.Add(new ApiToken
        {
            UserName = user,
            Name = "functional tests",
            SecretHash = TokenSecrets.Hash(secret),
            Scope = scope,
            MadeBy = "functional tests",
            CreatedAt = now,
            ExpiresAt = expiresAt ?? now.AddDays(3650),
            RevokedAt = revokedAt,
        });
        db.SaveChanges();
        return secret;
    }

    /// <summary>A context on the server's own store, to look at what a request did (or did not) write.</summary>
    public ToolgridDbContext Store() =>
        Services.GetRequiredService<IDbContextFactory<ToolgridDbContext>>().CreateDbContext();

    /// <summary>
    /// Records that the job's latest run exited, as a controller would once the backend reported
    /// it: this server has no controller, and nothing else ever finishes a run.
    /// </summary>
    public async Task RecordExitAsync(string tool, string job, int exitCode)
    {
        await using var db = Store();
        var run = await db.Runs.Where(r => r.ToolName == tool && r.JobName == job).OrderByDescending(r => r.Id).FirstAsync();
        var now = TimeProvider.System.GetUtcNow();
        run.State = exitCode == 0 ? RunState.Succeeded : RunState.Failed;
        run.Reason = RunReason.Exited;
        run.ExitCode = exitCode;
        run.Node = "node-1";
        run.StartedAt = now;
        run.FinishedAt = now;
        await db.SaveChangesAsync();
    }

    /// <summary>Where a tool's home is in single-user mode: a plain directory under the data root.</summary>
    public string HomeOf(string tool) => Path.Combine(DataRoot, tool);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // What toolgridd runs as when an operator starts it: not Development.
        builder.UseEnvironment("Production");
        builder.UseSetting("Toolgrid:DataRoot", DataRoot);
        builder.UseSetting("Toolgrid:StateDirectory", StateDirectory);
        builder.UseSetting("Toolgrid:Api:Socket", "");
        builder.UseSetting("Toolgrid:Api:Urls", "");
        builder.UseSetting("Toolgrid:Accounts:Mode", "SingleUser");
        builder.UseSetting("Toolgrid:Roles", ServerRoles);

        // Hosts need have no people: daemon (uid 1) plays one, as the second maintainer. nobody,
        // root and tools' users stay refused as maintainers whatever this says.
        builder.UseSetting("Toolgrid:Accounts:PersonUidMin", "1");

        // The tests' few callers make many tools; the cap per person has tests of its own.
        builder.UseSetting("Toolgrid:Tools:MaxToolsPerPerson", "1000");
        builder.ConfigureTestServices(services =>
        {
            DemandTestSettings(services);
            ConfigureServices(services);
        });
    }

    /// <summary>Replaces services for a test class's needs (a fake clock, a failing part).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary directory is harmless; a failed test run must not hide behind this.
            }
        }
    }

    /// <summary>
    /// Stops the server before it starts unless it took the settings above: otherwise it would
    /// work on the real defaults (<c>/srv/toolgrid</c> as root) and run every role.
    /// </summary>
    private void DemandTestSettings(IServiceCollection services)
    {
        var paths = services.LastOrDefault(d => d.ServiceType == typeof(ServerPaths))?.ImplementationInstance as ServerPaths;
        var roles = services.LastOrDefault(d => d.ServiceType == typeof(Roles))?.ImplementationInstance as Roles;
        if (paths is null || paths.DataRoot != DataRoot || paths.StateDirectory != StateDirectory || paths.ApiSocket is not null || roles?.ToString() != ServerRoles)
        {
            throw new InvalidOperationException(
                $"toolgridd did not take the tests' settings (paths: {paths}; roles: {roles}); ServerHost.Build must read them from its arguments, where WebApplicationFactory puts them.");
        }
    }

    private string SecretOf(string user)
    {
        lock (_secretsLock)
        {
            if (!_secrets.TryGetValue(user, out var secret))
            {
                secret = AddToken(user);
                _secrets[user] = secret;
            }

            return secret;
        }
    }
}
