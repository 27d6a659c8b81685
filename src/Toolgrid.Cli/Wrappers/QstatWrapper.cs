using System.Globalization;
using System.Text;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// <c>qstat [-j ID|NAME]</c>: the tool's queued and running jobs in Grid Engine's columns (job-ID
/// is the run's number, as jsub printed it), or one job's details.
/// </summary>
/// <remarks>
/// The columns are qstat's: <c>job-ID prior name user state submit/start at queue slots
/// ja-task-ID</c>. Toolgrid has no priorities, so <c>prior</c> is 0; every run takes one slot. As
/// qstat, it prints nothing when nothing is queued or running.
/// </remarks>
internal static class QstatWrapper
{
    public const string Usage = "qstat [-j ID|NAME]";

    private const string Header = "job-ID  prior   name       user         state submit/start at     queue                          slots ja-task-ID";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        using var session = new WrapperSession("qstat", environment);
        string? detail = null;
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "-help" or "--help":
                    environment.Out.WriteLine("usage: " + Usage);
                    return ExitCodes.Ok;
                case "-j" when i + 1 < args.Count:
                    detail = args[++i];
                    break;
                case "-j":
                    errors.Add("-j: which job? give its number or name.");
                    break;
                case "-u" when i + 1 < args.Count:
                    // The grid's "whose jobs": here always the tool's own.
                    i++;
                    break;
                case var other:
                    errors.Add(other.StartsWith('-') ? $"{other}: unknown option." : $"{other}: unexpected; to see one job, give -j {other}.");
                    break;
            }
        }

        if (errors.Count > 0)
        {
            session.Error([.. errors, "usage: " + Usage]);
            return ExitCodes.Usage;
        }

        return await session.RunAsync(
            async () =>
            {
                var tool = await session.ResolveToolAsync(cancellationToken);
                var user = (await session.Client.GetToolAsync(tool, cancellationToken)).UnixUser;
                var runs = GridRun.Active(await session.Client.ListJobsAsync(tool, cancellationToken));
                var shown = detail is null ? runs : runs.Where(r => Names(r, detail)).ToList();
                if (detail is null)
                {
                    environment.Out.Write(Table(runs, user, environment.Time));
                }
                else if (shown.Count == 0)
                {
                    environment.Out.WriteLine("Following jobs do not exist: ");
                    environment.Out.WriteLine(detail);
                }
                else
                {
                    foreach (var run in shown)
                    {
                        environment.Out.Write(Detail(run, user, environment.Time));
                    }
                }

                environment.Out.Flush();
                return shown.Count == 0 && detail is not null ? ExitCodes.Refused : ExitCodes.Ok;
            },
            cancellationToken);
    }

    /// <summary>Whether <paramref name="given"/> (a number, or a name as jsub was given it) names <paramref name="run"/>.</summary>
    public static bool Names(GridRun run, string given)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(given);
        return long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? run.Run.Id == id
            : run.Job.Name == WrapperJobName.From(given);
    }

    /// <summary>The runs in qstat's columns; empty when there are none, as qstat prints nothing then.</summary>
    public static string Table(IReadOnlyList<GridRun> runs, string user, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append(Header).Append('\n').Append('-', Header.Length).Append('\n');
        foreach (var run in runs)
        {
            text.Append(string.Create(
                CultureInfo.InvariantCulture,
                $"{run.Run.Id,7} {0.0,7:0.00000} {Cut(run.Job.Name, 10),-10} {Cut(user, 12),-12} {run.State,-5} {run.At(time)} {Cut(run.Queue, 30),-30} {1,5}"));
            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One job as <c>qstat -j</c> showed it.</summary>
    public static string Detail(GridRun run, string user, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(run);
        var lines = new List<(string Key, string Value)>
        {
            ("job_number", run.Run.Id.ToString(CultureInfo.InvariantCulture)),
            ("submission_time", At(run.Run.SubmittedAt, time)),
            ("owner", user),
            ("job_name", run.Job.Name),
            ("job_state", run.State),
            ("hard resource_list", $"h_vmem={run.Run.Mem},cpu={run.Run.Cpu}"),
            ("hard_queue_list", run.Job.Queue),
            ("script_file", run.Job.Command),
            ("stdout_path_list", run.Job.FilelogStdout ?? "/dev/null"),
            ("stderr_path_list", run.Job.FilelogStderr ?? "/dev/null"),
        };
        if (run.Run.Node is { Length: > 0 } node)
        {
            lines.Add(("exec_host_list", node));
        }

        if (run.Run.StartedAt is { } started)
        {
            lines.Add(("start_time", At(started, time)));
        }

        lines.Add(("status", run.Job.Status));
        var text = new StringBuilder(new string('=', 62)).Append('\n');
        foreach (var (key, value) in lines)
        {
            text.Append((key + ":").PadRight(28)).Append(value).Append('\n');
        }

        return text.ToString();
    }

    private static string At(DateTimeOffset at, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(at, time.LocalTimeZone).ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture);

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..width];
}
