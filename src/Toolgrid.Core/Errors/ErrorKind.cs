namespace Toolgrid.Core.Errors;

/// <summary>The kinds of refusal, each with its own meaning to a client (and HTTP status).</summary>
public enum ErrorKind
{
    /// <summary>The input is wrong; fix it and try again (400).</summary>
    Invalid,

    /// <summary>The caller could not be identified (401).</summary>
    Unauthenticated,

    /// <summary>The caller is known but may not do this (403).</summary>
    Forbidden,

    /// <summary>The thing named does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state (409).</summary>
    Conflict,

    /// <summary>A quota or limit would be exceeded (403 with its own error code).</summary>
    QuotaExceeded,

    /// <summary>A system the platform depends on failed (503).</summary>
    Unavailable,
}
