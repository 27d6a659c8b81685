using System.CommandLine;
using Toolgrid.Cli.Commands;

namespace Toolgrid.Cli.Tests.Support;

/// <summary>Parses a command line with the CLI's real command tree, without running anything.</summary>
internal static class TestCommandLine
{
    public static (ParseResult Parse, TCommand Command) Parse<TCommand>(params string[] args)
        where TCommand : Command
    {
        var environment = new CliEnvironment { Out = TextWriter.Null, Error = TextWriter.Null };
        var parse = Program.Parse(args, environment);
        Assert.Empty(parse.Errors);
        return (parse, Assert.IsType<TCommand>(parse.CommandResult.Command));
    }
}
