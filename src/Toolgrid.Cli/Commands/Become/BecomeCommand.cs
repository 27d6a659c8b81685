using System.CommandLine;
using System.Runtime.InteropServices;
using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Commands.Become;

/// <summary><c>toolgrid become TOOL [-- CMD…]</c>: a login shell (or CMD) as the tool's own Unix user, in its home.</summary>
/// <remarks>
/// The API says first whether the caller may (<see cref="BecomeCheck"/>), and sudo whether its
/// rules agree; then this process becomes <c>sudo -niu &lt;tool's user&gt; [-- CMD…]</c>
/// (<see cref="ProcessImage"/>), so that the shell has the terminal to itself and its exit
/// code is the command's.
/// </remarks>
internal sealed class BecomeCommand : CliCommand
{
    private readonly Argument<string> _tool = ToolNameArgument.Create("TOOL");

    private readonly Argument<string[]> _command = new("CMD")
    {
        Description = "A command to run as the tool instead of a login shell, after '--' (run by the tool's login shell, as 'sudo -i' does).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public BecomeCommand(CommandHost host)
        : base("become", "Open a login shell as a tool's own Unix user, in its home (or run CMD as it). For its maintainers.", host)
    {
        Add(_tool);
        Add(_command);
    }

    /// <summary>The host's sudo; tests give a stand-in, so that nothing replaces the test's process.</summary>
    internal ISudo Sudo { get; set; } = new Sudo();

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var name = ToolNameArgument.Read(cli.Parse, _tool, problems);
        problems.ThrowIfAny();
        var command = cli.Parse.GetValue(_command) ?? [];

        var me = await cli.Client.WhoAmIAsync(cancellationToken);
        BecomeCheck.DemandToolsOfTheirOwn(me);
        var tool = await cli.Client.GetToolAsync(name, cancellationToken);
        var root = cli.Environment.UserId() == 0;
        var unixUser = BecomeCheck.UnixUserToBecome(me, tool, root);

        var sudo = Sudo.Find() ?? throw new CommandFailedException(
            ExitCodes.Unavailable,
            "sudo is not installed on this host, and 'toolgrid become' needs it: an admin can install it (Debian: apt-get install sudo); "
            + "toolgridd then writes the rule that lets maintainers become their tools when it next starts or a tool is created.");

        // Root needs no rule of ours (sudo's own rule lets it be anyone).
        if (!root)
        {
            var answer = await Sudo.CanRunAsAsync(sudo, unixUser, cli.Environment.Time, cancellationToken);
            if (!answer.Allowed)
            {
                throw new CommandFailedException(
                    ExitCodes.NoPermission,
                    $"sudo does not let you act as {unixUser} yet ({(answer.Said.Length == 0 ? "it refused" : answer.Said)}). "
                    + "toolgridd writes that rule (a sudoers drop-in) when a tool is created and when its maintainers change; "
                    + "if you were added a moment ago, try again; otherwise an admin can look for the reason in toolgridd's log.");
            }
        }

        List<string> arguments = ["-niu", unixUser];
        if (command.Length > 0)
        {
            arguments.Add("--");
            arguments.AddRange(command);
        }

        var error = Sudo.Exec(sudo, arguments);
        throw new CommandFailedException(ExitCodes.Unavailable, $"could not start {sudo}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }
}
