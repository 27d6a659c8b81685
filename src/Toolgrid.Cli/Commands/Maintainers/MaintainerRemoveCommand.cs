namespace Toolgrid.Cli.Commands.Maintainers;

/// <summary><c>toolgrid maintainers remove TOOL USER</c>; the last maintainer cannot be removed.</summary>
internal sealed class MaintainerRemoveCommand : CliCommand
{
    private readonly MaintainerArguments _arguments = new();

    public MaintainerRemoveCommand(CommandHost host)
        : base("remove", "Remove a maintainer from a tool (a tool keeps at least one).", host)
    {
        Aliases.Add("rm");
        _arguments.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var (tool, user) = _arguments.Read(cli.Parse);
        var maintainers = await cli.Client.RemoveMaintainerAsync(tool, user, cancellationToken);
        if (!cli.Json)
        {
            cli.Note($"{user} no longer maintains tool {tool}.");
        }

        MaintainerChange.Write(cli, maintainers);
        return ExitCodes.Ok;
    }
}
