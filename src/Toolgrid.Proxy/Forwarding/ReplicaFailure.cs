using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Toolgrid.Proxy.Forwarding;

/// <summary>How a forwarding failure is read: was it the replica's fault, and may the request be sent to another one.</summary>
public static class ReplicaFailure
{
    /// <summary>The replica failed (refused, reset, timed out, broke off its answer), as opposed to the client.</summary>
    public static bool IsReplicaFault(ForwarderError error) => error is
        ForwarderError.Request
        or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination
        or ForwarderError.ResponseHeaders
        or ForwarderError.ResponseBodyDestination
        or ForwarderError.UpgradeRequestDestination
        or ForwarderError.UpgradeResponseDestination;

    /// <summary>
    /// Whether a request that failed with <paramref name="error"/> may go to another replica: it
    /// failed before any of the answer came back, and either nothing reached the replica (the
    /// connection could not be made) or the method is idempotent, so sending it twice is safe.
    /// </summary>
    /// <remarks>
    /// A read timeout is not tried again: it has already cost the client the whole timeout. A
    /// connect timeout is (YARP reports both as <see cref="ForwarderError.RequestTimedOut"/>).
    /// </remarks>
    public static bool MaySendAgain(ForwarderError error, Exception? exception, string method) => error switch
    {
        ForwarderError.Request => NeverConnected(exception) || IsIdempotent(method),
        ForwarderError.RequestTimedOut => NeverConnected(exception),
        ForwarderError.RequestBodyDestination => IsIdempotent(method),

        // The replica sent its headers, then died within its body, before any of it was passed
        // on (the caller sends again only while nothing reached the client).
        ForwarderError.ResponseBodyDestination => IsIdempotent(method),
        _ => false,
    };

    /// <summary>The connection to the replica was never made (refused, unreachable, its node's name not resolved, connect timeout): nothing of the request reached it.</summary>
    public static bool NeverConnected(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
                || (e is OperationCanceledException && e.InnerException is TimeoutException))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
}
