using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Cli.Runs;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Jobs;

/// <summary>
/// <c>toolgrid jobs run NAME --command CMD [--wait | --continuous … | --schedule CRON …]</c>: declare
/// a one-off, continuous or scheduled job (and queue its first run, unless it is scheduled).
/// </summary>
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

    private readonly Option<int?> _gracePeriod = WholeNumber.Option("--grace-period", $"Seconds between SIGTERM and SIGKILL when a run is stopped (default {JobDefaults.GracePeriodSeconds}).", "SECONDS");

    private readonly Option<string?> _queue = new("--queue") { Description = "The queue to run on (default: default).", HelpName = "Q" };

    private readonly Option<bool> _continuous = new("--continuous") { Description = "Keep it up: start it again whenever it ends (see --restart)." };

    private readonly Option<string?> _restart = new("--restart") { Description = "Continuous jobs: always (the default), or on-failure (until it exits 0, like jstart).", HelpName = "always|on-failure" };

    private readonly Option<int?> _replicas = WholeNumber.Option("--replicas", "Continuous jobs: how many runs to keep up (default 1).", "N");

    private readonly Option<int?> _port = WholeNumber.Option("--port", "The port it serves on, given to each run as $PORT; 0 to have one assigned to each run.", "P");

    private readonly Option<string?> _healthCheckScript = new("--health-check-script") { Description = "Continuous jobs: a command that exits 0 while the job is healthy.", HelpName = "CMD" };

    private readonly Option<string?> _healthCheckHttp = new("--health-check-http") { Description = "Continuous jobs: an HTTP path on $PORT that answers 2xx/3xx while the job is healthy (needs --port).", HelpName = "PATH" };

    private readonly Option<string?> _schedule = new("--schedule") { Description = "Run it on a schedule: five cron fields ('30 2 * * MON-FRI'), or @hourly, @daily, @weekly, @monthly, @yearly.", HelpName = "CRON" };

    private readonly Option<string?> _timezone = new("--timezone") { Description = "Scheduled jobs: the IANA time zone the schedule is read in (default: the site's).", HelpName = "TZ" };

    private readonly Option<string?> _concurrency = new("--concurrency") { Description = "Scheduled jobs, when a run falls due while the last one still runs: forbid (skip it; the default), allow, or replace.", HelpName = "forbid|allow|replace" };

    private readonly Option<string?> _catchUp = new("--catch-up") { Description = "Scheduled jobs, for runs that fell due while the platform was down: once (run one late; the default) or skip.", HelpName = "once|skip" };

    private readonly Option<string?> _timeout = new("--timeout") { Description = "Stop a run that takes longer, e.g. 90s, 30m, 2h, 1d (one-off and scheduled jobs).", HelpName = "DURATION" };

    private readonly Option<string?> _workdir = new("--workdir") { Description = "The directory to run in, inside the tool's home (default: the home).", HelpName = "DIR" };

    private readonly Option<string[]> _env = new("--env") { Description = "Set an environment variable for the job; repeat for more.", HelpName = "NAME=VALUE" };

    private readonly Option<string?> _umask = new("--umask") { Description = "The file-mode creation mask, in octal (default 002).", HelpName = "022" };

    private readonly Option<bool> _mergeOutput = new("--merge-output") { Description = "Send standard error to the standard output file (like jsub -j y)." };

    public JobRunCommand(CommandHost host)
        : base("run", "Run a job: one-off (the default), --continuous (kept up) or --schedule CRON (run on a schedule).", host)
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
        Add(_continuous);
        Add(_restart);
        Add(_replicas);
        Add(_port);
        Add(_healthCheckScript);
        Add(_healthCheckHttp);
        Add(_schedule);
        Add(_timezone);
        Add(_concurrency);
        Add(_catchUp);
        Add(_timeout);
        Add(_workdir);
        Add(_env);
        Add(_umask);
        Add(_mergeOutput);
    }

    /// <summary>
    /// The request for what the user typed. Only what belongs to the command line itself is
    /// checked here (<c>--env NAME=VALUE</c>, <c>--wait</c>); the job is checked by the API, whose
    /// problems name its fields, shown as the flags that set them.
    /// </summary>
    public JobRunRequest Bind(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var continuous = parse.GetValue(_continuous);
        var schedule = parse.GetValue(_schedule);
        if (parse.GetValue(_wait) && (continuous || schedule is not null))
        {
            problems.Add("wait", continuous
                ? "a continuous job never finishes, so there is nothing to wait for: drop --wait, and follow it with 'toolgrid jobs logs NAME -f'."
                : "a scheduled job runs again and again, so there is nothing to wait for: drop --wait, and see its runs with 'toolgrid jobs show NAME'.");
        }

        return new JobRunRequest
        {
            Name = parse.GetValue(_name),
            Command = parse.GetValue(_command),
            Mem = parse.GetValue(_mem),
            Cpu = parse.GetValue(_cpu),
            Retry = parse.GetValue(_retry),
            Filelog = parse.GetValue(_noFilelog) ? false : null,
            FilelogStdout = parse.GetValue(_stdout),
            FilelogStderr = parse.GetValue(_stderr),
            GracePeriod = parse.GetValue(_gracePeriod),
            Queue = parse.GetValue(_queue),
            Emails = parse.GetValue(_emails),
            Continuous = continuous ? true : null,
            Restart = parse.GetValue(_restart),
            Replicas = parse.GetValue(_replicas),
            Port = parse.GetValue(_port),
            HealthCheckScript = parse.GetValue(_healthCheckScript),
            HealthCheckHttp = parse.GetValue(_healthCheckHttp),
            Schedule = schedule,
            Timezone = parse.GetValue(_timezone),
            Concurrency = parse.GetValue(_concurrency),
            CatchUp = parse.GetValue(_catchUp),
            Timeout = parse.GetValue(_timeout),
            WorkingDirectory = parse.GetValue(_workdir),
            Environment = Variables(parse.GetValue(_env) ?? [], problems),
            Umask = parse.GetValue(_umask),
            MergeOutput = parse.GetValue(_mergeOutput) ? true : null,
        };
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        var request = Bind(cli.Parse, problems);
        var wait = cli.Parse.GetValue(_wait);
        problems.ThrowIfAny();

        var tool = await cli.ResolveToolAsync(cancellationToken);
        var job = await cli.Client.RunJobAsync(tool, request, cancellationToken);
        var again = cli.ToolFlag(tool);
        if (!wait)
        {
            if (cli.Json)
            {
                cli.WriteJson(job, CliJsonContext.Output.JobView);
            }
            else
            {
                cli.Say(job.Kind switch
                {
                    "continuous" => $"continuous job {job.Name} created in tool {tool}; it is being started and will be kept up.",
                    "scheduled" => $"scheduled job {job.Name} created in tool {tool}"
                        + (job.NextRuns is [var next, ..] ? $"; its first run is due {cli.Times.Both(next)}." : "."),
                    _ => $"job {job.Name} created in tool {tool}; its first run is queued.",
                });
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

    /// <summary>Each <c>--env NAME=VALUE</c>, in order; null when none was given.</summary>
    private static Dictionary<string, string>? Variables(IReadOnlyList<string> assignments, Problems problems)
    {
        Dictionary<string, string>? environment = null;
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add("environment", $"'{InputText.Shorten(assignment)}' is not NAME=VALUE.");
            }
            else
            {
                // Which names a job may set is the API's rule: it answers for each one it refuses.
                var (name, value) = (assignment[..equals], assignment[(equals + 1)..]);
                environment ??= new Dictionary<string, string>(StringComparer.Ordinal);
                if (!environment.TryAdd(name, value))
                {
                    problems.Add("environment", $"{name} is given twice.");
                }
            }
        }

        return environment;
    }

    private static int StoppedWaiting(CliInvocation cli, string job, string again, string what)
    {
        cli.Note($"toolgrid: {what}; job {job} goes on. Follow it with 'toolgrid jobs logs {job}{again} -f' and see how it ends with 'toolgrid jobs show {job}{again}'.");
        return WaitExitCode.WaitInterrupted;
    }
}
