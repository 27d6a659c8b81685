using System.CommandLine;
using Toolgrid.Cli.Api;
using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary>
/// <c>toolgrid webservice start [--type T] [--replicas N] [--mem M] [--cpu C] [--health-path P] [--allow-dot-paths] [-- CMD]</c>:
/// start the tool's web service, or change the one it has.
/// </summary>
/// <remarks>
/// CMD's words become the command line the run's <c>/bin/sh -c</c> reads (<see cref="CommandWords"/>):
/// one word is a shell line; several are quoted one by one, so each reaches the program as typed,
/// but for <c>'$PORT'</c> and <c>'$HOST'</c> (quoted for the user's own shell), which the run's
/// shell fills in with the port and address the platform assigned.
/// </remarks>
internal sealed class WebserviceStartCommand : CliCommand
{
    /// <summary>The types of web service.</summary>
    public static readonly IReadOnlyList<string> Types = ["generic", "node", "python", "static"];

    private readonly Option<string?> _type = new("--type")
    {
        Description = "generic: run CMD, which listens on $PORT (the default with a CMD); node: 'npm start' in ~/www/js; python: the WSGI/ASGI 'app' of ~/www/python/app.py; static: only ~/public_html (the default without a CMD).",
        HelpName = "generic|node|python|static",
    };

    private readonly Option<int?> _replicas = WholeNumber.Option("--replicas", "How many replicas to keep up, each on its own $PORT (default 1).", "N");

    private readonly Option<string?> _mem = new("--mem") { Description = "Memory limit of each replica, e.g. 512Mi or 2Gi (default: the site's).", HelpName = "SIZE" };

    private readonly Option<string?> _cpu = new("--cpu") { Description = "CPU limit of each replica, e.g. 0.5 or 250m (default: the site's).", HelpName = "CPU" };

    private readonly Option<string?> _healthPath = new("--health-path") { Description = "The path the health check asks for on $PORT; a replica gets traffic once it answers 2xx or 3xx (default /).", HelpName = "PATH" };

    private readonly Option<bool> _allowDotPaths = new("--allow-dot-paths")
    {
        Description = "Pass requests for paths with a name that starts with '.' (/.git/config, /.env) on to the web service; without it the proxy answers them 404 itself, so that a server of files never shows ~/.ssh or ~/.git. /.well-known/ is always passed on.",
    };

    private readonly Argument<string[]> _command = new("CMD")
    {
        Description = "For a generic web service, after '--': the command that serves on $HOST and $PORT, e.g. -- python3 -m http.server '$PORT' --bind '$HOST' --directory public_html. Several words reach the program as typed ('$PORT' and '$HOST' are filled in); one word is a shell line.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public WebserviceStartCommand(CommandHost host)
        : base("start", "Start the tool's web service (or change it): replicas get traffic from the front proxy once their health check passes.", host)
    {
        Add(_type);
        Add(_replicas);
        Add(_mem);
        Add(_cpu);
        Add(_healthPath);
        Add(_allowDotPaths);
        Add(_command);
    }

    /// <summary>The request to send; problems are added to <paramref name="problems"/>.</summary>
    public WebserviceStartRequest ToRequest(ParseResult parse, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var type = parse.GetValue(_type);
        var words = parse.GetValue(_command) ?? [];
        var command = CommandWords.ToCommandLine(words);
        if (type is not null && !Types.Contains(type, StringComparer.Ordinal))
        {
            problems.Add("type", $"'{type}' is not a type of web service: use generic, node, python or static.");
        }
        else if (type == "generic" && string.IsNullOrWhiteSpace(command))
        {
            problems.Add("command", "a generic web service needs the command that serves on $PORT, after '--': toolgrid webservice start -- ./serve --port '$PORT'.");
        }
        else if (type is "node" or "python" or "static" && command is not null)
        {
            problems.Add("command", $"a {type} web service runs no command of yours; give none (or use --type generic).");
        }

        var replicas = parse.GetValue(_replicas);
        if (replicas is < 1)
        {
            problems.Add("replicas", $"a web service needs at least 1 replica; got {replicas}.");
        }

        return new WebserviceStartRequest
        {
            Type = type,
            Command = command,
            Replicas = replicas,
            Mem = parse.GetValue(_mem),
            Cpu = parse.GetValue(_cpu),
            HealthPath = parse.GetValue(_healthPath),
            AllowDotPaths = parse.GetValue(_allowDotPaths) ? true : null,
        };
    }

    protected override async Task<int> ExecuteAsync(CliInvocation cli, CancellationToken cancellationToken)
    {
        var problems = new Problems();
        cli.CheckGivenTool(problems);
        var request = ToRequest(cli.Parse, problems);
        problems.ThrowIfAny();

        var tool = await cli.ResolveToolAsync(cancellationToken);
        var view = await cli.Client.StartWebserviceAsync(tool, request, cancellationToken);
        if (cli.Json)
        {
            cli.WriteJson(view, CliJsonContext.Output.WebserviceView);
            return ExitCodes.Ok;
        }

        var again = cli.ToolFlag(tool);
        cli.Say(view.Type == "static" || view.Type == "none"
            ? $"tool {tool} has no web service process: the proxy serves its ~/public_html."
            : $"web service of tool {tool} ({view.Type}): {view.Status}.");
        foreach (var url in view.Urls)
        {
            cli.Say($"  its address:      {url}");
        }

        if (view.Job is not null)
        {
            cli.Say($"  see how it does:  toolgrid webservice status{again}");
            cli.Say($"  read its output:  toolgrid webservice logs{again} -f");
        }

        return ExitCodes.Ok;
    }
}
