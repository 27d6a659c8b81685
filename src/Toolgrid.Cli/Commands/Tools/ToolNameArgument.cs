using System.CommandLine;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary>The tool-name argument of the commands that act on one tool.</summary>
internal static class ToolNameArgument
{
    public static Argument<string> Create(string name = "NAME") => new(name) { Description = "The tool's name." };

    /// <summary>The tool name given, checked before anything is sent.</summary>
    public static string Read(ParseResult parse, Argument<string> argument, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var name = parse.GetValue(argument) ?? "";
        ToolChoice.Check(name, problems, "tool");
        return name;
    }
}
