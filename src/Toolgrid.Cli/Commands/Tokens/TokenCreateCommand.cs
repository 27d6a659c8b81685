using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tokens;

/// <summary><c>toolgrid tokens create [--name NAME] [--scope read|jobs|admin] [--expires-in DAYS]</c>: a bearer token for the API over http(s).</summary>
/// <remarks>
/// The secret alone goes to standard output, so that <c>TOKEN=$(toolgrid tokens create)</c>
/// works; how to use it goes to standard error, with the API's TCP address as the API gives it.
/// It is shown only this once.
/// </remarks>
internal sealed class TokenCreateCommand : CliCommand
{
    private readonly Option<string?> _name = new("--name") { Description = "A label to tell your tokens apart, e.g. laptop.", HelpName = "NAME" };

    private readonly Option<string?> _scope = new("--scope")
    {
        Description = "What the token may do: read (look only), jobs (also run and change jobs and web services; the default) or admin (all you may do: also tools, maintainers and tokens).",
        HelpName = "read|jobs|admin",
    };

    private readonly Option<int?> _expiresIn = WholeNumber.Option("--expires-in", "Days until the token expires (default: the site's, 90 days unless it says otherwise; at most its maximum, 365 unless it says otherwise).", "DAYS", "--expires-in-days");

    public TokenCreateCommand(CommandHost host)
        : base("create", "Make an API token for yourself, to use the API over http(s); the secret is shown once.", host)
    {
        Add(_name);
        Add(_scope);
        Add(_expiresIn);
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

        // The scope and the lifetime are checked by the API, against the site's own maximum.
        return new TokenCreateRequest { Name = name, Scope = parse.GetValue(_scope), ExpiresInDays = parse.GetValue(_expiresIn) };
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
        var label = token.Name.Length > 0 ? $" ({token.Name})" : "";
        cli.Note($"token {token.Id}{label} made for {token.User}, scope {token.Scope}; it expires {TokenOutput.Expires(token, cli.Times)}.");
        cli.Note("This is the only time its secret is shown. To use the API with it:");
        cli.Note($"  export TOOLGRID_TOKEN='{token.Secret}'");
        if (await AddressAsync(cli, cancellationToken) is { } address)
        {
            cli.Note($"  toolgrid --api {address} whoami");
        }
        else
        {
            cli.Note("  (this toolgridd listens on no TCP address, so the token is of use only where the site's operators have the API listen on one: Toolgrid:Api:Urls)");
        }

        cli.Note($"Revoke it with: toolgrid tokens revoke {token.Id}");
        return ExitCodes.Ok;
    }

    /// <summary>Where the API answers over TCP: this client's own address, or the first the API gives; null when it has none.</summary>
    private static async Task<string?> AddressAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        if (!cli.Client.Address.IsUnixSocket)
        {
            return cli.Client.Address.ToString();
        }

        var me = await cli.Client.WhoAmIAsync(cancellationToken);
        return me.ApiUrls is { Count: > 0 } urls ? urls[0] : null;
    }
}
