namespace Toolgrid.Cli.Api;

/// <summary>How the CLI (and the grid-era wrappers) reach the API: <c>--api</c>, else <c>$TOOLGRID_API</c>, else toolgridd's socket on this host.</summary>
/// <remarks>
/// On the socket the kernel says who is calling, so a person, and a tool's run (whose
/// <c>TOOLGRID_API</c> names the socket), need no secret. Over http(s) the CLI sends
/// <c>$TOOLGRID_TOKEN</c>, and only that: it reads no token from a file in the home.
/// </remarks>
internal static class ApiConnection
{
    /// <summary>A client for the API at <paramref name="given"/> (or the default); fails clearly when there is none, or when http(s) lacks a token.</summary>
    /// <remarks>Its creating requests carry idempotency keys of this invocation, and are retried when no answer comes.</remarks>
    public static ToolgridClient Connect(CliEnvironment environment, string? given)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var address = ResolveAddress(environment, given ?? environment.Variable("TOOLGRID_API"));
        var token = environment.Variable("TOOLGRID_TOKEN");
        if (!address.IsUnixSocket && token is null)
        {
            throw new CommandFailedException(
                ExitCodes.NoPermission,
                $"the API at {address} needs a token over http(s): make one with 'toolgrid tokens create' on the login host and set TOOLGRID_TOKEN to it (over toolgridd's Unix socket no token is needed).");
        }

        var client = ToolgridClient.Create(address, token, environment.Time);
        client.IdempotencyKeys = new IdempotencyKeys().Next;
        return client;
    }

    private static ApiAddress ResolveAddress(CliEnvironment environment, string? given)
    {
        if (given is not null)
        {
            return ApiAddress.TryParse(given, out var address, out var error)
                ? address!
                : throw new CommandFailedException(ExitCodes.Usage, "--api: " + error);
        }

        var candidates = ApiAddress.DefaultSocketPaths(environment.Variable("XDG_RUNTIME_DIR"), environment.UserId());
        var found = candidates.FirstOrDefault(environment.PathExists);
        return found is not null
            ? ApiAddress.UnixSocket(found)
            : throw new CommandFailedException(
                ExitCodes.Unavailable,
                $"toolgridd does not seem to run here: there is no API socket at {string.Join(", ", candidates)}. "
                + "Point the CLI at it with --api unix:/path/api.sock (or --api http://host:8470 with TOOLGRID_TOKEN set), or set TOOLGRID_API.");
    }
}
