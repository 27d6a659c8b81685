namespace Toolgrid.Core.Identity;

/// <summary>Who is asking: a person, or a tool acting as itself.</summary>
/// <param name="UserName">The login name: a person's, or the tool's Unix user name.</param>
/// <param name="Tool">The tool the caller is, when the caller is a tool's own Unix user (after <c>become</c>, a run, or a token of the tool).</param>
/// <param name="IsAdmin">Root, or a member of the configured admin group.</param>
/// <param name="Via">How the caller was identified.</param>
/// <param name="Scope">What the caller may do with the identity: <see cref="TokenScope.Admin"/> (all of it) on the Unix socket, the token's scope over TCP.</param>
/// <param name="TokenId">The token the caller used, over TCP.</param>
public sealed record Caller(string UserName, string? Tool, bool IsAdmin, CallerVia Via, TokenScope Scope = TokenScope.Admin, long? TokenId = null)
{
    public bool IsTool => Tool is not null;

    public override string ToString() => Tool is null ? UserName : $"{UserName} (tool {Tool})";
}

/// <summary>How a caller proved who it is.</summary>
public enum CallerVia
{
    /// <summary>The kernel's peer credentials on the API's Unix socket.</summary>
    PeerCredentials,

    /// <summary>A bearer token over TCP.</summary>
    Token,
}
