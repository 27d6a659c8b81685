using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;

namespace Toolgrid.Cli.Commands.Tokens;

/// <summary><c>toolgrid tokens list</c>: your tokens (never their secrets).</summary>
internal sealed class TokenListCommand : CliCommand
{
    public TokenListCommand(CommandHost host)
        : base("list", "List your API tokens.", host)
    {
        Aliases.Add("ls");
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var tokens = await cli.Client.ListTokensAsync(cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(tokens, CliJsonContext.Output.IReadOnlyListTokenView);
        }
        else
        {
            TokenOutput.WriteList(cli.Console, tokens, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
