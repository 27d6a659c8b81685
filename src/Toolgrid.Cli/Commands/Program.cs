using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Toolgrid.Cli.Commands.Crontab;
using Toolgrid.Cli.Commands.Jobs;
using Toolgrid.Cli.Commands.Maintainers;
using Toolgrid.Cli.Commands.Platform;
using Toolgrid.Cli.Commands.Queues;
using Toolgrid.Cli.Commands.Tokens;
using Toolgrid.Cli.Commands.Tools;
using Toolgrid.Cli.Commands.Users;
using Toolgrid.Cli.Output;
using Toolgrid.Cli.Wrappers;

namespace Toolgrid.Cli.Commands;

/// <summary><c>toolgrid</c>, the command-line client: every command acts through the REST API.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Ctrl-C (or SIGTERM) cancels what the command waits for, so that it can say what goes
        // on without it (jobs run --wait exits 245); a second Ctrl-C ends the process at once.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await RunAsAsync(WrapperPrograms.InvokedAs(), args, CliEnvironment.FromProcess(), stop.Token);
    }

    /// <summary>
    /// Runs as the program called <paramref name="program"/>: a grid-era wrapper (<c>jsub</c>,
    /// <c>jstart</c>, <c>qcronsub</c>, <c>jstop</c>, <c>job</c>, <c>qstat</c>, <c>qdel</c>: links
    /// to this binary), else <c>toolgrid</c>.
    /// </summary>
    public static Task<int> RunAsAsync(string program, IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken) =>
        WrapperPrograms.TryRun(program, args, environment, cancellationToken) ?? RunAsync(args, environment, cancellationToken);

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var parse = Parse(args, environment);
        if (parse.Action is ParseErrorAction)
        {
            WriteUsageErrors(parse, environment.Error);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,

            // Main handles the signals: the commands decide what an interruption means.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>Parses <paramref name="args"/> with the whole command tree, without running anything.</summary>
    /// <remarks>
    /// Response files are off: System.CommandLine would read a word that starts with '@' as the
    /// name of a file of more words, so <c>--schedule @daily</c> failed with "Response file not
    /// found 'daily'". Every word reaches its option as typed.
    /// </remarks>
    public static ParseResult Parse(IReadOnlyList<string> args, CliEnvironment environment) =>
        BuildRootCommand(environment).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    public static RootCommand BuildRootCommand(CliEnvironment environment)
    {
        var globals = new GlobalOptions();
        var host = new CommandHost(environment, globals);
        var root = new RootCommand("toolgrid: run your tools' jobs on Toolgrid, and manage tools, maintainers and tokens.")
        {
            globals.Tool,
            globals.Json,
            globals.Api,
            new StatusCommand(host),
            new WhoAmICommand(host),
            new ToolsCommand(host),
            new MaintainersCommand(host),
            new TokensCommand(host),
            new UsersCommand(host),
            new QueuesCommand(host),
            new Commands.Nodes.NodesCommand(host),
            new JobsCommand(host),
            new CrontabCommand(host),
            new Commands.Webservice.WebserviceCommand(host),
            new Commands.Become.BecomeCommand(host),
        };
        root.SetAction(CommandGroup.ShowHelp);
        return root;
    }

    private static void WriteUsageErrors(ParseResult parse, TextWriter error)
    {
        var lines = parse.Errors.Select(e => ErrorOutput.Prefix + e.Message).Distinct(StringComparer.Ordinal).ToList();
        lines.Add($"toolgrid: see '{CommandPath(parse.CommandResult)} --help'.");
        ErrorOutput.Write(error, lines);
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var c })
            {
                names.Add(c is RootCommand ? "toolgrid" : c.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
