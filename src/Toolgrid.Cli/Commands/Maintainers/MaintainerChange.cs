using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Commands.Maintainers;

/// <summary>Shows a tool's maintainers after a look or a change.</summary>
internal static class MaintainerChange
{
    public static void Write(CliInvocation cli, IReadOnlyList<MaintainerView> maintainers)
    {
        if (cli.Json)
        {
            cli.WriteJson(maintainers, CliJsonContext.Output.IReadOnlyListMaintainerView);
        }
        else
        {
            MaintainerOutput.WriteList(cli.Console, maintainers, cli.Times);
        }
    }
}
