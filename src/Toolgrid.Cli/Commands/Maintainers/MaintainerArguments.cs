using System.CommandLine;
using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Maintainers;

/// <summary>The TOOL and USER arguments of <c>maintainers add|remove</c>.</summary>
internal sealed class MaintainerArguments
{
    public Argument<string> Tool { get; } = ToolNameArgument.Create("TOOL");

    public Argument<string> User { get; } = new("USER") { Description = "The person's login name." };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Tool);
        command.Add(User);
    }

    /// <summary>The tool and user given, checked before anything is sent.</summary>
    public (string Tool, string User) Read(ParseResult parse)
    {
        var problems = new Problems();
        var tool = ToolNameArgument.Read(parse, Tool, problems);
        var user = parse.GetValue(User) ?? "";
        problems.ThrowIfAny();
        return (tool, user);
    }
}
