using System.CommandLine;
using System.Runtime.InteropServices;
using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Cli.Native;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Become;

/// <summary><c>toolgrid become TOOL [-- CMD…]</c>: a login shell (or CMD) as the tool's own Unix user, in its home.</summary>
/// <remarks>
/// The API says first whether the caller may (<see cref="BecomeCheck"/>), and sudo whether its
/// rules agree; then this process becomes sudo (<see cref="ProcessImage"/>, arguments from
/// <see cref="SudoArguments"/>), so that the shell has the terminal to itself and its exit code
/// is the command's.
/// </remarks>
internal sealed class BecomeCommand : CliCommand
{
    private readonly Argument<string> _tool = ToolNameArgument.Create("TOOL");

    private readonly Argument<string[]> _command = new("CMD")
    {
        Description = "After '--': what to run as the tool instead of a login shell, in its home and login environment. Several words reach the program exactly as typed; one word is a shell line ('id; pwd').",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public BecomeCommand(CommandHost host)
        : base("become", "Open a login shell as a tool's own Unix user, in its home (or run CMD as it). For its maintainers.", host)
    {
        Add(_tool);
        Add(_command);
    }

    /// <summary>
    /// What the tool's login shell is started with, to run a command: in the tool's home, then
    /// <c>$SHELL -l -c</c> with the rest of the words (<c>$SHELL</c> is the tool's login shell,
    /// which sudo sets from the user database).
    /// </summary>
    public const string LoginScript = "cd || exit 1; exec \"${SHELL:-/bin/sh}\" -l -c \"$@\"";

    /// <summary>The login shell's script that runs its arguments as they are: <c>exec "$@"</c>.</summary>
    public const string RunArguments = "exec \"$@\"";

    /// <summary>The host's sudo; tests give a stand-in, so that nothing replaces the test's process.</summary>
    internal ISudo Sudo { get; set; } = new Sudo();

    /// <summary>
    /// sudo's arguments. No command: <c>-niu USER</c>, the tool's login shell. A command is never
    /// handed to <c>sudo -i</c>, which joins the words into one line with its own escaping (a
    /// newline in a word becomes a line continuation, and one word with a space becomes a program
    /// name with a space in it): sudo runs <c>/bin/sh -c</c> <see cref="LoginScript"/> with the
    /// words as arguments, which reach the login shell untouched. One word is a shell line for the
    /// login shell (<c>-- 'id; pwd'</c>, as ssh takes one); several words are a program and its
    /// arguments, run exactly as typed.
    /// </summary>
    public static IReadOnlyList<string> SudoArguments(string unixUser, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Count switch
        {
            0 => ["-niu", unixUser],
            1 => ["-n", "-u", unixUser, "--", "/bin/sh", "-c", LoginScript, "become", command[0]],
            _ => ["-n", "-u", unixUser, "--", "/bin/sh", "-c", LoginScript, "become", RunArguments, "become", .. command],
        };
    }

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

        var error = Sudo.Exec(sudo, SudoArguments(unixUser, command));
        throw new CommandFailedException(ExitCodes.Unavailable, $"could not start {sudo}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }
}
