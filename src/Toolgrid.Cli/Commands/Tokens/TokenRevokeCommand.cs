using System.CommandLine;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Commands.Tokens;

/// <summary><c>toolgrid tokens revoke ID</c>.</summary>
internal sealed class TokenRevokeCommand : CliCommand
{
    private readonly Argument<long> _id = WholeNumber.Argument("ID", "The token's id, as 'toolgrid tokens list' shows it.");

    public TokenRevokeCommand(CommandHost host)
        : base("revoke", "Revoke one of your API tokens: it stops working at once.", host)
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

        await cli.Client.RevokeTokenAsync(id, cancellationToken);
        if (!cli.Json)
        {
            cli.Say($"token {id} revoked.");
        }

        return ExitCodes.Ok;
    }
}
