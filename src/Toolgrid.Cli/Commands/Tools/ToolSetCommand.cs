using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools set NAME [--description TEXT] [--email ADDRESS|none]</c>: change what a tool says about itself.</summary>
internal sealed class ToolSetCommand : CliCommand
{
    private readonly Argument<string> _name = ToolNameArgument.Create();

    private readonly Option<string?> _description = new("--description") { Description = "What the tool does, in a sentence.", HelpName = "TEXT" };

    private readonly Option<string?> _email = new("--email") { Description = "The tool's own mail address, which gets the jobs' mail besides the maintainers; 'none' removes it.", HelpName = "ADDRESS" };

    public ToolSetCommand(CommandHost host)
        : base("set", "Change a tool's description or mail address.", host)
    {
        Add(_name);
        Add(_description);
        Add(_email);
    }

    public (string Name, ToolUpdate Update) ToRequest(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var name = ToolNameArgument.Read(parse, _name, problems);
        var description = parse.GetValue(_description);
        var email = parse.GetValue(_email);
        if (description is null && email is null)
        {
            problems.Add("--email", "nothing to change: give --description TEXT, --email ADDRESS (or none), or both.");
        }

        return (name, new ToolUpdate { Description = description, Email = email });
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var (name, update) = ToRequest(cli.Parse, problems);
        problems.ThrowIfAny();

        var tool = await cli.Client.UpdateToolAsync(name, update, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(tool, CliJsonContext.Output.ToolView);
        }
        else
        {
            ToolOutput.WriteDetail(cli.Console, tool, cli.Times);
        }

        return ExitCodes.Ok;
    }
}
