using System.Globalization;
using Spectre.Console;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Runs;

namespace Toolgrid.Cli.Output;

/// <summary>Jobs and their runs, as tables (<c>jobs list</c>, <c>jobs show</c>).</summary>
/// <remarks>
/// The status is the API's sentence (e.g. "crash-looping: 7 restarts in a row, last exit 1, next
/// try in 40 s"), never a bare state: a job that keeps failing must not look like it runs.
/// </remarks>
internal static class JobOutput
{
    private const int CommandWidth = 48;

    /// <summary>How many of a scheduled job's next due times <c>jobs show</c> lists.</summary>
    private const int NextRunsShown = 5;

    public static void WriteList(IAnsiConsole console, string tool, IReadOnlyList<JobView> jobs, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(times);
        if (jobs.Count == 0)
        {
            console.WriteLine($"Tool {tool} has no jobs. Start one with: toolgrid jobs run NAME --command CMD");
            return;
        }

        var table = Tables.New("NAME", "KIND", new Header("STATUS", Wraps: true), new Header("LAST RUN", Wraps: true), "NEXT", new Header("COMMAND", Wraps: true));
        foreach (var job in jobs)
        {
            var last = LastFinished(job);
            Tables.AddRow(
                table,
                new Text(job.Name),
                new Text(Kind(job)),
                new Text(Status(job), StatusStyle(job)),
                job.LastOutcome is { Length: > 0 } outcome ? new Text(outcome, StateStyle.For(FirstWord(outcome)))
                    : last is null ? new Text("-") : StateStyle.Text(last.State, LastRun(last, times)),
                new Text(Next(job, times)),
                new Text(Shorten(job.Command, CommandWidth)));
        }

        console.Write(table);
    }

    public static void WriteDetail(IAnsiConsole console, JobView job, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(times);
        var properties = Tables.Properties();
        Tables.AddProperty(properties, "Job", $"{job.Name} (tool {job.Tool})");
        Tables.AddProperty(properties, "Status", new Text(Status(job), StatusStyle(job)));
        if (job.LastOutcome is { Length: > 0 } outcome)
        {
            Tables.AddProperty(properties, "Last outcome", outcome);
        }

        Tables.AddProperty(properties, "Kind", KindInWords(job));
        Tables.AddProperty(properties, "Command", job.Command);
        switch (job.Kind)
        {
            case "scheduled":
                AddSchedule(properties, job, times);
                break;
            case "continuous":
                AddContinuous(properties, job, times);
                break;
        }

        Tables.AddProperty(properties, "Resources", $"{job.Mem} memory, {job.Cpu} CPU");
        Tables.AddProperty(properties, "Queue", job.QueueNote is { } note ? $"{job.Queue} ({note})" : job.Queue);
        if (job.Kind != "continuous")
        {
            Tables.AddProperty(properties, "Retry", job.Retry switch
            {
                0 => "no retries",
                1 => "once, if the run fails",
                var n => FormattableString.Invariant($"up to {n} times, if a run fails"),
            });
        }

        if (job.Timeout is { } timeout)
        {
            Tables.AddProperty(properties, "Timeout", $"a run is stopped after {timeout}");
        }

        Tables.AddProperty(properties, "Emails", job.Emails);
        Tables.AddProperty(properties, "Logs", Logs(job));
        if (job.WorkingDirectory is { } directory)
        {
            Tables.AddProperty(properties, "Directory", $"{directory} (in the tool's home)");
        }

        if (job.Environment is { Count: > 0 } environment)
        {
            // Values are often credentials: the names are enough here; --json shows the values.
            Tables.AddProperty(properties, "Environment", string.Join(", ", environment.Keys.Order(StringComparer.Ordinal)) + " (values: --json)");
        }

        if (job.Umask is { } umask)
        {
            Tables.AddProperty(properties, "Umask", umask);
        }

        Tables.AddProperty(properties, "Grace period", FormattableString.Invariant($"{job.GracePeriod} s between SIGTERM and SIGKILL"));
        Tables.AddProperty(properties, "Created", $"{times.Both(job.CreatedAt)} by {job.CreatedBy}");
        console.Write(properties);
        console.WriteLine();

        if (job.Runs.Count == 0)
        {
            console.WriteLine("No runs yet.");
            return;
        }

        console.Write(Tables.Heading("Runs, newest first"));
        console.WriteLine();
        console.Write(Runs(job.Runs, times));
    }

    /// <summary>
    /// Each run in two lines: what happened, then the details. Not a table of nine columns: the
    /// reason's message is a sentence, and such a table does not fit a terminal.
    /// </summary>
    public static Grid Runs(IReadOnlyList<RunView> runs, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(times);
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn(new GridColumn());
        foreach (var run in runs)
        {
            var headline = new Paragraph();
            headline.Append(run.State, StateStyle.For(run.State));
            headline.Append(" " + (string.IsNullOrEmpty(run.Message) ? run.Reason : $"({run.Reason}): {run.Message}"));
            grid.AddRow(new Text(FormattableString.Invariant($"run {run.Id}"), new Style(decoration: Decoration.Bold)), headline);
            grid.AddRow(new Text(""), new Text(Details(run, times)));
        }

        return grid;
    }

    /// <summary>The exit code, or the signal's name: "3", "SIGKILL (9)", "-".</summary>
    public static string Exit(RunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Signal is { } signal)
        {
            return FormattableString.Invariant($"{Signals.Name(signal)} ({signal})");
        }

        return run.ExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "-";
    }

    /// <summary>"one-off", "continuous", "continuous x3", "scheduled @daily".</summary>
    public static string Kind(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Kind switch
        {
            "continuous" when job.Replicas > 1 => FormattableString.Invariant($"continuous x{job.Replicas}"),
            "scheduled" when job.Schedule is { } schedule => $"scheduled {schedule}",
            var kind => job.Webservice is not null ? $"{kind} (webservice)" : kind,
        };
    }

    /// <summary>When the job acts next: a scheduled job's next due time, a continuous job's next restart.</summary>
    public static string Next(JobView job, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(times);
        if (job.Deleting)
        {
            return "-";
        }

        if (job.NextRuns is [var next, ..])
        {
            return times.Relative(next);
        }

        return job.NextStartAt is { } restart ? "restart " + times.Relative(restart) : "-";
    }

    private static void AddSchedule(Grid properties, JobView job, TimeText times)
    {
        Tables.AddProperty(properties, "Schedule", job.Timezone is { } zone ? $"{job.Schedule} ({zone})" : $"{job.Schedule} (the site's time zone)");
        Tables.AddProperty(properties, "Overlap", (job.Concurrency ?? "forbid") switch
        {
            "allow" => "allow: a run due while the last one still runs starts anyway",
            "replace" => "replace: a run due while the last one still runs stops it and starts",
            var other => $"{other}: a run due while the last one still runs is skipped",
        });
        Tables.AddProperty(properties, "Missed runs", (job.CatchUp ?? "once") switch
        {
            "skip" => "skip: runs due while the platform was down are not made up",
            var other => $"{other}: one late run makes up for those due while the platform was down",
        });
        if (!job.Deleting && job.NextRuns is { Count: > 0 } next)
        {
            Tables.AddProperty(properties, "Next runs", string.Join("\n", next.Take(NextRunsShown).Select(times.Both)));
        }
    }

    private static void AddContinuous(Grid properties, JobView job, TimeText times)
    {
        Tables.AddProperty(properties, "Restart", (job.Restart ?? "always") switch
        {
            "on-failure" => "on-failure: started again until it exits 0",
            var other => $"{other}: started again whenever it ends",
        });
        if (job.RestartCount > 0 || job.NextStartAt is not null)
        {
            var restarts = job.RestartsInARow;
            var text = restarts == 0 ? "none in a row" : FormattableString.Invariant($"{restarts} in a row");
            if (job.NextStartAt is { } at && !job.Deleting)
            {
                text += $"; next try {times.Both(at)}";
            }

            Tables.AddProperty(properties, "Restarts", text);
        }

        Tables.AddProperty(properties, "Replicas", job.Replicas.ToString(CultureInfo.InvariantCulture));
        if (job.Port is { } port)
        {
            Tables.AddProperty(properties, "Port", port == 0 ? "one assigned to each run, in $PORT" : FormattableString.Invariant($"{port}, in $PORT"));
        }

        if (job.HealthCheckHttp is { } path)
        {
            Tables.AddProperty(properties, "Health check", $"HTTP GET {path} on $PORT answers 2xx or 3xx");
        }
        else if (job.HealthCheckScript is { } script)
        {
            Tables.AddProperty(properties, "Health check", $"{script} exits 0");
        }
    }

    private static string KindInWords(JobView job) => job.Kind switch
    {
        "continuous" => "continuous: kept up, started again when it ends" + (job.Webservice is { } type ? $" (the tool's {type} web service)" : ""),
        "scheduled" => "scheduled: runs on its schedule",
        var kind => kind,
    };

    private static string Status(JobView job) =>
        job.Deleting && !job.Status.StartsWith("delet", StringComparison.Ordinal) ? "deleting: " + job.Status : job.Status;

    /// <summary>Failures stand out: a job that crash-loops or fails is never styled like one that runs.</summary>
    private static Style StatusStyle(JobView job)
    {
        var status = job.Status;
        if (status.StartsWith("crash", StringComparison.Ordinal) || status.Contains("unhealthy", StringComparison.Ordinal) || status.StartsWith("fail", StringComparison.Ordinal))
        {
            return new Style(Color.Red);
        }

        return StateStyle.For(FirstWord(status));
    }

    private static string FirstWord(string text)
    {
        var end = text.IndexOfAny([' ', ':', ',', '(']);
        return end < 0 ? text : text[..end];
    }

    /// <summary>The newest run that has ended (a scheduled or continuous job may have one running after it).</summary>
    private static RunView? LastFinished(JobView job) =>
        job.Runs.FirstOrDefault(r => r.FinishedAt is not null) ?? (job.Runs.Count > 0 ? job.Runs[0] : null);

    private static string Details(RunView run, TimeText times)
    {
        var details = new List<string>();
        if (run.Attempt > 1 || run.DueAt is null)
        {
            details.Add(FormattableString.Invariant($"attempt {run.Attempt}"));
        }

        var exit = Exit(run);
        if (exit != "-")
        {
            details.Add("exit " + exit);
        }

        if (run.Node is not null)
        {
            details.Add("on " + run.Node);
        }

        if (run.DueAt is { } due)
        {
            details.Add($"due {times.Short(due)} ({times.Relative(due)})");
        }
        else
        {
            details.Add($"submitted {times.Short(run.SubmittedAt)} ({times.Relative(run.SubmittedAt)})");
        }

        if (run.StartedAt is { } started)
        {
            var late = run.DueAt is { } dueAt && started - dueAt >= TimeSpan.FromSeconds(1)
                ? $" ({TimeText.Duration(started - dueAt)} late)"
                : "";
            details.Add("started " + times.Short(started) + late);
        }

        if (run.FinishedAt is { } finished)
        {
            details.Add(Finished(run, finished, times));
        }

        if (run.Healthy is { } healthy && run.FinishedAt is null)
        {
            details.Add(healthy ? "healthy" : "unhealthy");
        }

        if (run.Port is { } port)
        {
            details.Add(FormattableString.Invariant($"port {port}"));
        }

        return string.Join(", ", details);
    }

    private static string Finished(RunView run, DateTimeOffset finished, TimeText times)
    {
        var text = "ended " + times.Short(finished);
        return run.StartedAt is { } started ? $"{text} after {TimeText.Duration(finished - started)}" : text;
    }

    private static string Logs(JobView job) => (job.FilelogStdout, job.FilelogStderr) switch
    {
        (null, null) => "discarded (--no-filelog)",
        var (stdout, stderr) when job.MergeOutput => $"stdout and stderr to {stdout ?? stderr} (in the tool's home)",
        var (stdout, stderr) => $"stdout to {stdout ?? "nowhere"}, stderr to {stderr ?? "nowhere"} (in the tool's home)",
    };

    /// <summary>"failed 2 min ago (exit 1)" for a run that ended; "running for 1 h" for one that goes on.</summary>
    private static string LastRun(RunView run, TimeText times)
    {
        if (run.FinishedAt is not { } finished)
        {
            // Set up ahead of its due time, its command held until then.
            return run.StartedAt is null && run.DueAt is { } due && due > times.Now
                ? $"set up, starts in {TimeText.Duration(due - times.Now)}"
                : $"{run.State} for {TimeText.Duration(times.Now - (run.StartedAt ?? run.SubmittedAt))}";
        }

        var exit = Exit(run);
        var detail = run.State switch
        {
            "succeeded" => "",
            "skipped" => $" ({run.Reason})",
            _ when run.Reason == "exited" && exit != "-" => $" (exit {exit})",
            _ => $" ({run.Reason})",
        };
        return $"{run.State} {times.Relative(finished)}{detail}";
    }

    private static string Shorten(string text, int width)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= width ? line : string.Concat(line.AsSpan(0, width - 3), "...");
    }
}
