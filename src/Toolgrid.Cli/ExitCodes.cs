using System.Net;

namespace Toolgrid.Cli;

/// <summary>
/// What <c>toolgrid</c> exits with (documented in the user guide). <c>jobs run --wait</c> exits
/// with the run's own outcome instead (<see cref="Contracts.Runs.WaitExitCode"/>).
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The API refused the request: not found (404), conflict (409), a 500…</summary>
    public const int Refused = 1;

    /// <summary>
    /// The command line is wrong: a parse error, or a value the CLI's own checks or the API's
    /// validation (400) refuse. Nothing was changed.
    /// </summary>
    public const int Usage = 2;

    /// <summary>EX_UNAVAILABLE: the API cannot be reached, or a system it needs failed.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_NOPERM: not authenticated (401), or not allowed (403).</summary>
    public const int NoPermission = 77;

    /// <summary>Ctrl-C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a refusal by the API, from its HTTP status.</summary>
    public static int For(HttpStatusCode refusal) =>
        refusal switch
        {
            // An invalid value is the same mistake whether the CLI or the API finds it.
            HttpStatusCode.BadRequest => Usage,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => NoPermission,
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => Unavailable,
            _ => Refused,
        };
}
