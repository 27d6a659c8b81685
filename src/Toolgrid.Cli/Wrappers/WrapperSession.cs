using Toolgrid.Cli.Api;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Tools;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Wrappers;

/// <summary>
/// One run of a grid-era wrapper: its name (for messages: <c>jsub: error: …</c>), the API (as
/// <c>toolgrid</c> finds it), and the tool it acts for: <c>$TOOLGRID_TOOL</c>, else the tool the
/// caller is (the wrappers ran as the tool, after <c>become</c>).
/// </summary>
internal sealed class WrapperSession : IDisposable
{
    private ToolgridClient? _client;

    public WrapperSession(string program, CliEnvironment environment)
    {
        Program = program;
        Environment = environment;
    }

    public string Program { get; }

    public CliEnvironment Environment { get; }

    public ToolgridClient Client => _client ??= ApiConnection.Connect(Environment, given: null);

    /// <summary>Says, as qdel did, that <paramref name="given"/> names no job: <c>denied: job "NAME" does not exist</c>.</summary>
    public void DenyUnknownJob(string given) => Environment.Error.WriteLine($"denied: job \"{given}\" does not exist");

    public async Task<string> ResolveToolAsync(CancellationToken cancellationToken)
    {
        if (Environment.Variable("TOOLGRID_TOOL") is { } given)
        {
            var problems = new Problems();
            ToolName.Validate(given, unixUserPrefix: null, problems, "TOOLGRID_TOOL");
            problems.ThrowIfAny();
            return given;
        }

        return ToolChoice.From(await Client.WhoAmIAsync(cancellationToken));
    }

    /// <summary>The job, or null when the API says there is none.</summary>
    public async Task<Contracts.Api.JobView?> FindJobAsync(string tool, string job, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.GetJobAsync(tool, job, cancellationToken);
        }
        catch (ToolgridApiException e) when (e.ErrorCode == "job-not-found")
        {
            return null;
        }
    }

    /// <summary>Lines on standard error, each after "PROGRAM: error: ".</summary>
    public void Error(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Environment.Error.WriteLine($"{Program}: error: {line}");
        }

        Environment.Error.Flush();
    }

    public void Warning(string line)
    {
        Environment.Error.WriteLine($"{Program}: warning: {line}");
        Environment.Error.Flush();
    }

    /// <summary>Problems with what was typed, each naming the flag.</summary>
    public static IEnumerable<string> Lines(IEnumerable<Problem> problems) =>
        problems.Select(p => string.IsNullOrEmpty(p.Field) || p.Field == "input" ? p.Message : $"{p.Field}: {p.Message}");

    /// <summary>What went wrong, in lines without a prefix, and <c>toolgrid</c>'s exit code for it; null for what is not a failure the CLI knows.</summary>
    public (IReadOnlyList<string> Lines, int ExitCode)? Describe(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            ValidationException e => (Lines(e.Problems).ToList(), ExitCodes.Usage),
            CommandFailedException e => ([e.Message], e.ExitCode),
            ToolgridApiException e => (ErrorOutput.Lines(e, _client?.Address).Select(l => l.StartsWith(ErrorOutput.Prefix, StringComparison.Ordinal) ? l[ErrorOutput.Prefix.Length..] : l).ToList(), ExitCodes.For(e.StatusCode)),
            ApiUnreachableException e => ([e.Message], ExitCodes.Unavailable),
            _ => null,
        };
    }

    /// <summary>
    /// The names (or numbers) a wrapper such as <c>jstop</c> or <c>qdel</c> takes: false, after
    /// saying what is wrong and the usage, for an unknown flag or none at all.
    /// </summary>
    public bool TakesNames(IReadOnlyList<string> args, string usage, string which)
    {
        ArgumentNullException.ThrowIfNull(args);
        var flags = args.Where(a => a.StartsWith('-') && a.Length > 1).Select(a => $"{a}: unknown option.").ToList();
        if (flags.Count == 0 && args.Count > 0)
        {
            return true;
        }

        Error([.. flags, .. args.Count == 0 ? [which] : Array.Empty<string>(), "usage: " + usage]);
        return false;
    }

    /// <summary>Runs a wrapper's work; an interruption, or a failure the CLI knows, becomes its message and exit code.</summary>
    public async Task<int> RunAsync(Func<Task<int>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Error(["interrupted."]);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (Describe(e) is { } failure)
        {
            Error(failure.Lines);
            return failure.ExitCode;
        }
    }

    public void Dispose() => _client?.Dispose();
}
