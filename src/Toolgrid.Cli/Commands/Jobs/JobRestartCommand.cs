using System.CommandLine;
using Toolgrid.Cli.Api;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>
/// <c>toolgrid jobs restart NAME</c>: replace a continuous job's runs (one at a time), run a
/// one-off job again, or run a scheduled job now (its schedule unchanged).
/// </summary>
internal sealed class JobRestartCommand : CliCommand
{
    private readonly Argument<string> _name = JobNameArgument.Create();

    public JobRestartCommand(CommandHost host)
        : base("restart", "Restart a job: a continuous job's runs are replaced one at a time; a one-off job runs again; a scheduled job runs now.", host)
    {
        Add(_name);
    }

    /// <summary>What the restart does, in words, for a job of <paramref name="kind"/>.</summary>
    public static string Describe(string kind, string job, string tool) => kind switch
    {
        "continuous" => $"job {job} of tool {tool}: its runs are being replaced, one at a time.",
        "scheduled" => $"job {job} of tool {tool}: a run was queued now; its schedule is unchanged.",
        _ => $"job {job} of tool {tool}: queued to run again.",
    };

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var name = JobNameArgument.Read(cli, _name);
        var tool = await cli.ResolveToolAsync(cancellationToken);
        var job = await cli.Client.RestartJobAsync(tool, name, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(job, CliJsonContext.Output.JobView);
        }
        else
        {
            cli.Say(Describe(job.Kind, job.Name, tool));
            cli.Say($"  see how it does:  toolgrid jobs show {job.Name}{cli.ToolFlag(tool)}");
        }

        return ExitCodes.Ok;
    }
}
