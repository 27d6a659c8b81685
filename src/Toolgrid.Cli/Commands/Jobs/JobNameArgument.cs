using System.CommandLine;
using Toolgrid.Contracts.Jobs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>The NAME argument of the commands that act on one job.</summary>
internal static class JobNameArgument
{
    public static Argument<string> Create() => new("NAME") { Description = "The job's name." };

    /// <summary>The job name given, checked before anything is sent.</summary>
    public static string Read(CliInvocation cli, Argument<string> argument)
    {
        var name = cli.Parse.GetValue(argument) ?? "";
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        JobName.Validate(name, problems, "name");
        problems.ThrowIfAny();
        return name;
    }
}
