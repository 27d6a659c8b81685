using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Runs;
using Toolgrid.Core.Api;
using Toolgrid.Core.Runs;
using Toolgrid.Core.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary><c>toolgrid jobs run NAME --command CMD [--wait] …</c>: declare a one-off job and queue its first run.</summary>
internal sealed class JobRunCommand : CliCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The job's name: lower-case letters, digits and '-' (at most 52)." };

    private readonly Option<string> _command = new("--command")
    {
        Description = "What to run, with /bin/sh -c, as the tool's user in its home.",
        HelpName = "CMD",
        Required = true,
    };

    private readonly Option<string?> _mem = new("--mem") { Description = "Memory limit, e.g. 512Mi or 2Gi (default: the site's).", HelpName = "SIZE" };

    private readonly Option<string?> _cpu = new("--cpu") { Description = "CPU limit, e.g. 0.5 or 250m (default: the site's).", HelpName = "CPU" };

    private readonly Option<int?> _retry = WholeNumber.Option("--retry", "How many times a failed run is tried again, 0 to 5 (default 0).", "N");

    private readonly Option<bool> _wait = new("--wait") { Description = "Wait until the job has finished and exit with its run's exit code." };

    private readonly Option<bool> _noFilelog = new("--no-filelog") { Description = "Discard the job's output instead of appending it to files in the tool's home." };

    private readonly Option<string?> _stdout = new("--filelog-stdout", "-o") { Description = "Append standard output to PATH in the tool's home (default NAME.out).", HelpName = "PATH" };

    private readonly Option<string?> _stderr = new("--filelog-stderr", "-e") { Description = "Append standard error to PATH in the tool's home (default NAME.err).", HelpName = "PATH" };

    private readonly Option<string?> _emails = new("--emails") { Description = "When the maintainers get mail: none, onfailure, onfinish or all (default none).", HelpName = "WHEN" };

    private readonly Option<int?> _gracePeriod = WholeNumber.Option("--grace-period", "Seconds between SIGTERM and SIGKILL when a run is stopped (default 15).", "SECONDS");

    private readonly Option<string?> _queue = new("--queue") { Description = "The queue to run on (default: default).", HelpName = "Q" };

    public JobRunCommand(CommandHost host)
        : base("run", "Run a one-off job: declare it and queue its first run.", host)
    {
        Add(_name);
        Add(_command);
        Add(_mem);
        Add(_cpu);
        Add(_retry);
        Add(_wait);
        Add(_noFilelog);
        Add(_stdout);
        Add(_stderr);
        Add(_emails);
        Add(_gracePeriod);
        Add(_queue);
    }

    /// <summary>What the user typed, unchecked.</summary>
    public JobRunInput Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new JobRunInput
        {
            Name = parse.GetValue(_name),
            Command = parse.GetValue(_command),
            Mem = parse.GetValue(_mem),
            Cpu = parse.GetValue(_cpu),
            Retry = parse.GetValue(_retry),
            Wait = parse.GetValue(_wait),
            NoFilelog = parse.GetValue(_noFilelog),
            Stdout = parse.GetValue(_stdout),
            Stderr = parse.GetValue(_stderr),
            Emails = parse.GetValue(_emails),
            GracePeriod = parse.GetValue(_gracePeriod),
            Queue = parse.GetValue(_queue),
        };
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var input = Bind(cli.Parse);
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        var request = input.ToRequest(problems);
        problems.ThrowIfAny();

        var tool = await cli.ResolveToolAsync(cancellationToken);
        var job = await cli.Client.RunJobAsync(tool, request, cancellationToken);
        var again = cli.ToolFlag(tool);
        if (!input.Wait)
        {
            if (cli.Json)
            {
                cli.WriteJson(job, CliJsonContext.Output.JobView);
            }
            else
            {
                cli.Say($"job {job.Name} created in tool {tool}; its first run is queued.");
                cli.Say($"  see how it does:  toolgrid jobs show {job.Name}{again}");
                cli.Say($"  read its output:  toolgrid jobs logs {job.Name}{again} -f");
            }

            return ExitCodes.Ok;
        }

        cli.Note($"job {job.Name}: queued in tool {tool}; waiting for it to finish (Ctrl-C stops waiting, not the job).");
        JobView finished;
        try
        {
            finished = await cli.Client.WaitUntilFinishedAsync(tool, job.Name, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return StoppedWaiting(cli, job.Name, again, "stopped waiting");
        }
        catch (ApiUnreachableException e)
        {
            cli.Note("toolgrid: error: " + e.Message);
            return StoppedWaiting(cli, job.Name, again, "lost the connection to the API");
        }

        if (cli.Json)
        {
            cli.WriteJson(finished, CliJsonContext.Output.JobView);
        }

        var outcome = RunOutcome.Of(finished);
        cli.Note(outcome.Line);
        return outcome.ExitCode;
    }

    private static int StoppedWaiting(CliInvocation cli, string job, string again, string what)
    {
        cli.Note($"toolgrid: {what}; job {job} goes on. Follow it with 'toolgrid jobs logs {job}{again} -f' and see how it ends with 'toolgrid jobs show {job}{again}'.");
        return WaitExitCode.WaitInterrupted;
    }
}
