using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Core.Api;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Commands.Tokens;

/// <summary><c>toolgrid tokens create [--name NAME] [--expires-in-days N]</c>: a bearer token for the API over http(s).</summary>
/// <remarks>
/// The secret alone goes to standard output, so that <c>TOKEN=$(toolgrid tokens create)</c>
/// works; how to use it goes to standard error. It is shown only this once.
/// </remarks>
internal sealed class TokenCreateCommand : CliCommand
{
    /// <summary>The longest a token may be asked to live, by the CLI's own sanity check (the API has its own rules).</summary>
    public const int MaxDays = 3650;

    private readonly Option<string?> _name = new("--name") { Description = "A label to tell your tokens apart, e.g. laptop.", HelpName = "NAME" };

    private readonly Option<int?> _expiresInDays = WholeNumber.Option("--expires-in-days", "Days until the token expires (default: never).", "N");

    public TokenCreateCommand(CommandHost host)
        : base("create", "Make an API token for yourself, to use the API over http(s); the secret is shown once.", host)
    {
        Add(_name);
        Add(_expiresInDays);
    }

    public TokenCreateRequest ToRequest(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var name = parse.GetValue(_name);
        if (name is not null && string.IsNullOrWhiteSpace(name))
        {
            problems.Add("name", "the token's name is empty; leave --name out, or give a label such as laptop.");
        }

        var days = parse.GetValue(_expiresInDays);
        if (days is < 1 or > MaxDays)
        {
            problems.Add("expiresInDays", $"a token lives 1 to {MaxDays} days; got {days}. Leave --expires-in-days out for a token that does not expire.");
        }

        return new TokenCreateRequest { Name = name, ExpiresInDays = days };
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var request = ToRequest(cli.Parse, problems);
        problems.ThrowIfAny();

        var token = await cli.Client.CreateTokenAsync(request, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(token, CliJsonContext.Output.TokenView);
            return ExitCodes.Ok;
        }

        cli.Say(token.Secret ?? "");
        cli.Environment.Out.Flush();
        var times = cli.Times;
        var expires = token.ExpiresAt is null ? "it does not expire" : "it expires " + TokenOutput.Expires(token, times);
        var address = cli.Client.Address.IsUnixSocket ? "http://HOST:8470" : cli.Client.Address.ToString();
        cli.Note($"token {token.Id} ({token.Name}) made for {token.User}; {expires}.");
        cli.Note("This is the only time its secret is shown. To use the API from another machine:");
        cli.Note($"  export TOOLGRID_TOKEN='{token.Secret}'");
        cli.Note($"  toolgrid --api {address} whoami");
        cli.Note($"Revoke it with: toolgrid tokens revoke {token.Id}");
        return ExitCodes.Ok;
    }
}
