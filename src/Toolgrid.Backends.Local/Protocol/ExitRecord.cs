using System.Globalization;
using System.Text;
using Toolgrid.Core.Backends;

namespace Toolgrid.Backends.Local.Protocol;

/// <summary>How the run ended: the run file's exit record (or a run directory's <c>exit</c> file, protocol 1). Written once, by the shepherd (or by the backend for a run that never started).</summary>
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
    /// <summary>An <c>exit</c> file of protocol 1 (<c>key=value</c> lines).</summary>
    public static ExitRecord Parse(string text) => FromValues(KeyValueText.Parse(text));

    public static ExitRecord FromValues(ILookup<string, string> values) =>
        new(
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

    /// <summary>An exit for a run that never started: its start failed, or it was stopped first.</summary>
    public static ExitRecord NeverStarted(DateTimeOffset now, bool stopped, string message) =>
        new(null, null, now, null, stopped ? Contracts.Runs.Signals.Term : null, false, false, stopped, !stopped, message);

    /// <summary>The exit record of a run file.</summary>
    public byte[] ToRecord(long runId) =>
        new RecordBuilder("exit")
            .Add("run_id", runId.ToString(CultureInfo.InvariantCulture))
            .Add("pid", (Pid ?? 0).ToString(CultureInfo.InvariantCulture))
            .Add("started_at_ns", Nanoseconds(StartedAt))
            .Add("finished_at_ns", Nanoseconds(FinishedAt))
            .Add("exit_code", ExitCode?.ToString(CultureInfo.InvariantCulture) ?? string.Empty)
            .Add("signal", Signal?.ToString(CultureInfo.InvariantCulture) ?? string.Empty)
            .Add("oom", OutOfMemory ? "1" : "0")
            .Add("timed_out", TimedOut ? "1" : "0")
            .Add("stopped", Stopped ? "1" : "0")
            .Add("start_failed", StartFailed ? "1" : "0")
            .Add("message", (Message ?? string.Empty).Replace("\0", string.Empty, StringComparison.Ordinal))
            .ToBytes();

    /// <summary>An <c>exit</c> file of protocol 1.</summary>
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
    }

    private static string Nanoseconds(DateTimeOffset? at) =>
        at is { } time ? ((time - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture) : "0";

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
