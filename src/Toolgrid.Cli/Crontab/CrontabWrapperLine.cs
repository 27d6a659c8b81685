using Toolgrid.Cli.Wrappers;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Crontab;

/// <summary>
/// A crontab line that calls <c>jsub</c>, <c>jstart</c> or <c>qcronsub</c>: a scheduled job with the
/// wrappers' flags, or a continuous job for a crontab that kept a bot up.
/// </summary>
internal static class CrontabWrapperLine
{
    public static string? Convert(int number, string text, string schedule, WrapperProgram kind, string? directory, IReadOnlyList<ShellToken> tokens, CrontabState state)
    {
        var words = new List<ShellToken>();
        var notes = new List<string>();
        for (var i = 1; i < tokens.Count; i++)
        {
            switch (tokens[i].Kind)
            {
                case ShellTokenKind.Operator:
                    return $"the line runs more than {Path.GetFileName(tokens[0].Value)} ('{tokens[i].Raw}'): put the commands in a script, and call {Path.GetFileName(tokens[0].Value)} on it.";
                case ShellTokenKind.Redirection:
                    // cron's shell pointed the wrapper's own messages somewhere; the job's output goes to its files.
                    notes.Add($"'{tokens[i].Raw}{(i + 1 < tokens.Count ? tokens[i + 1].Raw : "")}' dropped: it redirected {Path.GetFileName(tokens[0].Value)}'s own messages; the job's output goes to its files.");
                    i++;
                    break;
                default:
                    words.Add(tokens[i]);
                    break;
            }
        }

        var problems = new Problems();
        var options = SubmitFlags.Parse(kind, words, w => state.Expand(w), problems);
        var submitContext = new SubmitContext
        {
            CurrentDirectory = directory ?? state.Context.Home,
            Home = state.Context.Home,
            IsDirectory = state.Context.IsDirectory,
            FindProgram = name => state.FindProgram(name, directory ?? state.Context.Home),
            Variable = name => state.Variables.GetValueOrDefault(name),
        };
        var submission = SubmitMapping.ToRequest(options, submitContext, problems);
        if (problems.Count > 0)
        {
            return string.Join(" ", problems.Select(p => p.Field == "program" ? p.Message : $"{p.Field}: {p.Message}"));
        }

        notes.AddRange(submission.Notes);
        var request = submission.Request;
        if (request.Continuous == true)
        {
            // jstart from cron kept a bot up: on @reboot, as jstart restarts (until exit 0); on a
            // schedule, cron started it again whatever its exit, so: always.
            var atBoot = schedule == "@reboot";
            request = request with { Restart = atBoot ? "on-failure" : "always" };
            notes.Add(atBoot
                ? "@reboot jstart: a continuous job, kept up from now on, restarted until it exits 0."
                : $"the crontab kept it up ({schedule}): a continuous job does that, restarted whenever it ends.");
        }
        else if (schedule == "@reboot")
        {
            return $"@reboot: use a continuous job instead: jstart {string.Join(' ', words.Select(w => w.Raw))}, or toolgrid jobs run {request.Name} --command {ShellQuoting.Quote(request.Command ?? "")} --continuous";
        }
        else
        {
            request = request with
            {
                Schedule = schedule,
                Timezone = state.TimeZone,
                Concurrency = options.Once ? null : "allow",
            };
        }

        return state.Add(number, text, request, notes);
    }
}
