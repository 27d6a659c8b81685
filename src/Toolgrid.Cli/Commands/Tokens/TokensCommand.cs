namespace Toolgrid.Cli.Commands.Tokens;

/// <summary><c>toolgrid tokens …</c>: bearer tokens for the API over http(s).</summary>
internal sealed class TokensCommand : CommandGroup
{
    public TokensCommand(CommandHost host)
        : base("tokens", "Make, list and revoke your API tokens (needed over http(s), never on the login host's socket).")
    {
        Add(new TokenCreateCommand(host));
        Add(new TokenListCommand(host));
        Add(new TokenRevokeCommand(host));
    }
}
