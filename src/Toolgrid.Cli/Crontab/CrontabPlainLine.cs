using Toolgrid.Cli.Wrappers;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Crontab;

/// <summary>A plain command (or <c>jlocal CMD</c>) on a schedule: a scheduled job running it as written, in the tool's home, with the crontab's variables.</summary>
internal static class CrontabPlainLine
{
    public static string? Convert(int number, string text, string schedule, string command, IReadOnlyList<ShellToken> tokens, CrontabState state)
    {
        var notes = new List<string>();
        var words = CrontabCommandText.LeadingCd(tokens, state).Tokens;
        var program = words.FirstOrDefault(t => t.Kind == ShellTokenKind.Word && !CrontabConverter.Assignment().IsMatch(t.Value));
        var name = WrapperJobName.From(program is null ? "job" : Path.GetFileName(program.Value.TrimEnd('/')) is { Length: > 0 } file ? file : "job");
        if (state.Shell is { } shell)
        {
            command = $"{shell} -c {ShellQuoting.Quote(command)}";
            notes.Add($"run with {shell}, as SHELL= says.");
        }

        var request = new JobRunRequest
        {
            Name = name,
            Command = command,
            Schedule = schedule,
            Timezone = state.TimeZone,
            Concurrency = "allow",
            Environment = state.Variables.Count > 0 ? new Dictionary<string, string>(state.Variables, StringComparer.Ordinal) : null,
        };
        return state.Add(number, text, request, notes);
    }
}
