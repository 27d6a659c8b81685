using System.CommandLine;
using System.CommandLine.Help;

namespace Toolgrid.Cli.Commands;

/// <summary>A command that only groups others (<c>jobs</c>, <c>tools</c>…): given alone, it shows its help and exits 2.</summary>
internal abstract class CommandGroup : Command
{
    protected CommandGroup(string name, string description)
        : base(name, description)
    {
        SetAction(ShowHelp);
    }

    /// <summary>Shows the help of the command that was given without a subcommand; a usage error.</summary>
    public static int ShowHelp(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        new HelpAction().Invoke(parse);
        return ExitCodes.Usage;
    }
}
