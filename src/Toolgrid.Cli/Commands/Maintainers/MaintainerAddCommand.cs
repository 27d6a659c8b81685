namespace Toolgrid.Cli.Commands.Maintainers;

/// <summary><c>toolgrid maintainers add TOOL USER</c>.</summary>
internal sealed class MaintainerAddCommand : CliCommand
{
    private readonly MaintainerArguments _arguments = new();

    public MaintainerAddCommand(CommandHost host)
        : base("add", "Make a person a maintainer of a tool.", host)
    {
        _arguments.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var (tool, user) = _arguments.Read(cli.Parse);
        var maintainers = await cli.Client.AddMaintainerAsync(tool, user, cancellationToken);
        if (!cli.Json)
        {
            cli.Note($"{user} now maintains tool {tool}.");
        }

        MaintainerChange.Write(cli, maintainers);
        return ExitCodes.Ok;
    }
}
