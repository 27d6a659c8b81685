using System.Globalization;
using System.Text;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary><c>RUNDIR/exit</c>: how the run ended. Written once, atomically, by the shepherd (or by the backend for a run that never started).</summary>
internal sealed record ExitRecord(
    int? Pid,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? ExitCode,
    int? Signal,
    bool OutOfMemory,
    bool TimedOut,
    bool Stopped,
    bool StartFailed,
    string? Message)
{
    public static ExitRecord Parse(string text)
    {
        var values = KeyValueText.Parse(text);
        return new ExitRecord(
            values.Int("pid") is { } pid and > 0 ? pid : null,
            values.Time("started_at_ns"),
            values.Time("finished_at_ns"),
            values.Int("exit_code"),
            values.Int("signal"),
            values.Flag("oom"),
            values.Flag("timed_out"),
            values.Flag("stopped"),
            values.Flag("start_failed"),
            values.String("message"));
    }

    /// <summary>An exit for a run that never started: its start failed, or it was stopped first.</summary>
    public static ExitRecord NeverStarted(DateTimeOffset now, bool stopped, string message) =>
        new(null, null, now, null, stopped ? Core.Runs.Signals.Term : null, false, false, stopped, !stopped, message);

    public string Format(long runId)
    {
        var text = new StringBuilder();
        Line("version", "1");
        Line("run_id", runId.ToString(CultureInfo.InvariantCulture));
        Line("pid", (Pid ?? 0).ToString(CultureInfo.InvariantCulture));
        Line("started_at_ns", Nanoseconds(StartedAt));
        Line("finished_at_ns", Nanoseconds(FinishedAt));
        Line("exit_code", ExitCode?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        Line("signal", Signal?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        Line("oom", OutOfMemory ? "1" : "0");
        Line("timed_out", TimedOut ? "1" : "0");
        Line("stopped", Stopped ? "1" : "0");
        Line("start_failed", StartFailed ? "1" : "0");
        Line("message", KeyValueText.Escape(Message ?? string.Empty));
        return text.ToString();

        void Line(string key, string value) => text.Append(key).Append('=').Append(value).Append('\n');

        static string Nanoseconds(DateTimeOffset? at) =>
            at is { } time ? ((time - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture) : "0";
    }

    public BackendRunReport ToReport(long runId, string node) => new(
        runId,
        node,
        BackendRunPhase.Exited,
        Pid,
        StartedAt,
        FinishedAt,
        ExitCode,
        Signal,
        OutOfMemory,
        TimedOut,
        StartFailed,
        Message);
}
