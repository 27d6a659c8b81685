using System.CommandLine;

namespace Toolgrid.Cli.Commands;

/// <summary>A command that does something (as opposed to a group such as <c>jobs</c>): its action runs through the <see cref="CommandHost"/>.</summary>
internal abstract class CliCommand : Command
{
    protected CliCommand(string name, string description, CommandHost host)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(host);
        SetAction((parse, cancellationToken) => host.RunAsync(parse, ExecuteAsync, cancellationToken));
    }

    protected abstract Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken);
}
