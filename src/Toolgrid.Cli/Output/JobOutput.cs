using System.Globalization;
using Spectre.Console;
using Toolgrid.Core.Api;
using Toolgrid.Core.Runs;

namespace Toolgrid.Cli.Output;

/// <summary>Jobs and their runs, as tables (<c>jobs list</c>, <c>jobs show</c>).</summary>
internal static class JobOutput
{
    private const int CommandWidth = 48;

    public static void WriteList(IAnsiConsole console, string tool, IReadOnlyList<JobView> jobs, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            console.WriteLine($"Tool {tool} has no jobs. Start one with: toolgrid jobs run NAME --command CMD");
            return;
        }

        var table = Tables.New("NAME", "KIND", new Header("STATUS", Wraps: true), "LAST RUN", new Header("COMMAND", Wraps: true));
        foreach (var job in jobs)
        {
            var last = job.Runs.Count > 0 ? job.Runs[0] : null;
            Tables.AddRow(
                table,
                new Text(job.Name),
                new Text(job.Kind),
                new Text(job.Deleting ? "deleting: " + job.Status : job.Status),
                last is null ? new Text("-") : StateStyle.Text(last.State, LastRun(last, times)),
                new Text(Shorten(job.Command, CommandWidth)));
        }

        console.Write(table);
    }

    public static void WriteDetail(IAnsiConsole console, JobView job, TimeText times)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(job);
        var properties = Tables.Properties();
        Tables.AddProperty(properties, "Job", $"{job.Name} (tool {job.Tool})");
        Tables.AddProperty(properties, "Status", job.Deleting ? "deleting: " + job.Status : job.Status);
        Tables.AddProperty(properties, "Kind", job.Kind);
        Tables.AddProperty(properties, "Command", job.Command);
        Tables.AddProperty(properties, "Resources", $"{job.Mem} memory, {job.Cpu} CPU");
        Tables.AddProperty(properties, "Queue", job.Queue);
        Tables.AddProperty(properties, "Retry", job.Retry switch
        {
            0 => "no retries",
            1 => "once, if the run fails",
            var n => FormattableString.Invariant($"up to {n} times, if a run fails"),
        });
        Tables.AddProperty(properties, "Emails", job.Emails);
        Tables.AddProperty(properties, "Logs", Logs(job));
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

    private static string Details(RunView run, TimeText times)
    {
        var details = new List<string> { FormattableString.Invariant($"attempt {run.Attempt}") };
        var exit = Exit(run);
        if (exit != "-")
        {
            details.Add("exit " + exit);
        }

        if (run.Node is not null)
        {
            details.Add("on " + run.Node);
        }

        details.Add($"submitted {times.Short(run.SubmittedAt)} ({times.Relative(run.SubmittedAt)})");
        if (run.StartedAt is { } started)
        {
            details.Add("started " + times.Short(started));
        }

        if (run.FinishedAt is { } finished)
        {
            details.Add(Finished(run, finished, times));
        }

        return string.Join(", ", details);
    }

    private static string Finished(RunView run, DateTimeOffset finished, TimeText times)
    {
        var text = "finished " + times.Short(finished);
        return run.StartedAt is { } started ? $"{text} after {TimeText.Duration(finished - started)}" : text;
    }

    private static string Logs(JobView job) => (job.FilelogStdout, job.FilelogStderr) switch
    {
        (null, null) => "discarded (--no-filelog)",
        var (stdout, stderr) => $"stdout to {stdout ?? "nowhere"}, stderr to {stderr ?? "nowhere"} (in the tool's home)",
    };

    /// <summary>"failed 2 min ago" for a run that ended; "running for 1 h" for one that goes on.</summary>
    private static string LastRun(RunView run, TimeText times) =>
        run.FinishedAt is { } finished
            ? $"{run.State} {times.Relative(finished)}"
            : $"{run.State} for {TimeText.Duration(times.Now - (run.StartedAt ?? run.SubmittedAt))}";

    private static string Shorten(string text, int width)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= width ? line : string.Concat(line.AsSpan(0, width - 3), "...");
    }
}
