using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tokens;

/// <summary><c>toolgrid tokens revoke ID</c>: the token, and every token made with it.</summary>
internal sealed class TokenRevokeCommand : CliCommand
{
    private readonly Argument<long> _id = WholeNumber.Argument("ID", "The token's id, as 'toolgrid tokens list' shows it.");

    public TokenRevokeCommand(CommandHost host)
        : base("revoke", "Revoke one of your API tokens, and every token made with it: they stop working at once.", host)
    {
        Add(_id);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var id = cli.Parse.GetValue(_id);
        if (id <= 0)
        {
            throw new ValidationException("id", $"a token id is a positive number, as 'toolgrid tokens list' shows it; got {id}.");
        }

        var revoked = await cli.Client.RevokeTokenAsync(id, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(revoked, CliJsonContext.Output.IReadOnlyListTokenView);
            return ExitCodes.Ok;
        }

        var made = revoked.Where(t => t.Id != id).Select(t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        cli.Say(made.Count == 0
            ? $"token {id} revoked."
            : $"token {id} revoked, and the {made.Count} made with it: {string.Join(", ", made)}.");
        return ExitCodes.Ok;
    }
}
