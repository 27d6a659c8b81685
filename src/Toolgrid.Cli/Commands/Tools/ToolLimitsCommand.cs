using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Tools;

/// <summary><c>toolgrid tools limits NAME [--max-mem 8Gi] [--max-cpu 2] [--max-jobs 50]</c> (admins).</summary>
internal sealed class ToolLimitsCommand : CliCommand
{
    private readonly Argument<string> _name = ToolNameArgument.Create();

    private readonly Option<string?> _maxMemory = new("--max-mem") { Description = "The most memory one job may ask for, e.g. 8Gi, or 'default'.", HelpName = "SIZE" };

    private readonly Option<string?> _maxCpu = new("--max-cpu") { Description = "The most CPU one job may ask for, e.g. 2, or 'default'.", HelpName = "CPU" };

    private readonly Option<string?> _maxJobs = new("--max-jobs") { Description = "How many jobs the tool may have, e.g. 50, or 'default'.", HelpName = "N" };

    public ToolLimitsCommand(CommandHost host)
        : base("limits", "Raise or reset a tool's ceilings (admins only); 'default' resets one to the site's.", host)
    {
        Add(_name);
        Add(_maxMemory);
        Add(_maxCpu);
        Add(_maxJobs);
    }

    public ToolLimitsInput Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new ToolLimitsInput
        {
            MaxMemory = parse.GetValue(_maxMemory),
            MaxCpu = parse.GetValue(_maxCpu),
            MaxJobs = parse.GetValue(_maxJobs),
        };
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var name = ToolNameArgument.Read(cli.Parse, _name, problems);
        var input = Bind(cli.Parse);
        if (input.IsEmpty)
        {
            problems.Add("input", "nothing to change: give --max-mem, --max-cpu or --max-jobs (a value, or 'default' to reset it).");
        }

        var update = input.ToRequest(problems);
        problems.ThrowIfAny();

        var limits = await cli.Client.UpdateLimitsAsync(name, update, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(limits, CliJsonContext.Output.LimitsView);
        }
        else
        {
            cli.Say($"limits of tool {name}: {ToolOutput.Limits(limits)}.");
        }

        return ExitCodes.Ok;
    }
}
