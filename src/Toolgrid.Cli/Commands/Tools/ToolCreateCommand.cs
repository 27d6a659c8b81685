using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools create NAME [--description TEXT]</c>: a new tool account, maintained by the caller.</summary>
internal sealed class ToolCreateCommand : CliCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The tool's name: 1 to 32 lower-case letters, digits and '-', starting with a letter." };

    private readonly Option<string?> _description = new("--description") { Description = "What the tool does, in a sentence.", HelpName = "TEXT" };

    private readonly Option<string?> _email = new("--email") { Description = "The tool's own mail address: it gets the jobs' mail besides the maintainers.", HelpName = "ADDRESS" };

    public ToolCreateCommand(CommandHost host)
        : base("create", "Create a tool: its Unix user, its home and public_html. You become its first maintainer.", host)
    {
        Add(_name);
        Add(_description);
        Add(_email);
    }

    public ToolCreateRequest ToRequest(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);

        // The name (against the site's reserved names and prefix too) and the address are the API's to check.
        return new ToolCreateRequest { Name = parse.GetValue(_name), Description = parse.GetValue(_description), Email = parse.GetValue(_email) };
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var request = ToRequest(cli.Parse, problems);
        problems.ThrowIfAny();

        var tool = await cli.Client.CreateToolAsync(request, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(tool, CliJsonContext.Output.ToolView);
            return ExitCodes.Ok;
        }

        cli.Say($"tool {tool.Name} created: Unix user {tool.UnixUser} (uid {tool.Uid}), home {tool.Home}.");
        cli.Say($"  you maintain it; add others with: toolgrid maintainers add {tool.Name} USER");
        cli.Say($"  run a job:                          toolgrid jobs run NAME --command CMD --tool {tool.Name}");
        return ExitCodes.Ok;
    }
}
