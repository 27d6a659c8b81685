using Toolgrid.Contracts.Api;
using Toolgrid.Contracts.Validation;
using Toolgrid.Core.Jobs;
using Toolgrid.Core.Limits;
using Toolgrid.Core.Tools;

namespace Toolgrid.Core.Webservices;

/// <summary>What a valid web service is: its type, the command each type runs, and the job it becomes.</summary>
/// <remarks>
/// <para>A web service is the continuous job <see cref="WebserviceStatus.JobName"/>, checked by the
/// rules every job is checked by (<see cref="JobRules.Build"/>), and changed as every job is
/// (<see cref="JobDiff.Apply"/>).</para>
/// <para>The types: <c>generic</c> runs the given command; <c>node</c> runs <c>npm start</c> in
/// <c>~/www/js</c>; <c>python</c> serves <c>~/www/python/app.py</c>'s <c>app</c> (WSGI or ASGI)
/// with the <c>serve-python.py</c> shipped beside the program; <c>static</c> runs nothing: the
/// proxy serves <c>~/public_html</c>, which it does for every tool without a web service.</para>
/// </remarks>
public static class WebserviceRules
{
    /// <summary>Where a node web service runs, relative to the tool's home.</summary>
    public const string NodeDirectory = "www/js";

    /// <summary>Where a Python web service runs, relative to the tool's home.</summary>
    public const string PythonDirectory = "www/python";

    /// <summary>The server of a Python web service, shipped beside the program that references Core.</summary>
    public static string PythonServer => Path.Combine(AppContext.BaseDirectory, "webservice", "serve-python.py");

    /// <summary>Adds a problem when a job of the jobs API is named as the web service, which only the web service API makes.</summary>
    public static void RefuseAsJobName(string? name, Problems problems, string field)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (name == WebserviceStatus.JobName)
        {
            problems.Add(field, $"'{WebserviceStatus.JobName}' is the tool's web service; manage it with 'toolgrid webservice'.");
        }
    }

    /// <summary>The type asked for: the one named, else generic with a command and static without.</summary>
    public static WebserviceType TypeOf(WebserviceStartRequest request, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(problems);
        if (request.Type is null)
        {
            return string.IsNullOrWhiteSpace(request.Command) ? WebserviceType.Static : WebserviceType.Generic;
        }

        if (!JobWire.TryParse(request.Type, out WebserviceType type))
        {
            problems.Add("type", $"'{InputText.Shorten(request.Type)}' is not a type of web service: use generic, node, python or static.");
            return WebserviceType.Generic;
        }

        return type;
    }

    /// <summary>A static web service runs no process: each field given that only a process has is a problem.</summary>
    public static void CheckStatic(WebserviceStartRequest request, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var (field, given) in new[] { ("replicas", request.Replicas is not null), ("mem", request.Mem is not null), ("cpu", request.Cpu is not null), ("healthPath", request.HealthPath is not null), ("allowDotPaths", request.AllowDotPaths == true) })
        {
            if (given)
            {
                problems.Add(field, $"a static web service runs no process (the proxy serves ~/public_html): {field} has no meaning for it.");
            }
        }
    }

    /// <summary>The job for a web service of <paramref name="type"/> (not static), checked by the rules every job is checked by; null when there are problems.</summary>
    public static Job? Build(WebserviceStartRequest request, WebserviceType type, Tool tool, JobLimits limits, JobSite site, string createdBy, DateTimeOffset now, Problems problems)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(problems);
        string? command = request.Command;
        string? directory = null;
        switch (type)
        {
            case WebserviceType.Generic when string.IsNullOrWhiteSpace(command):
                problems.Add("command", "a generic web service needs the command that serves on $PORT, e.g. toolgrid webservice start -- ./serve --port '$PORT'.");
                break;
            case WebserviceType.Node or WebserviceType.Python when command is not null:
                problems.Add("command", $"a {JobWire.Of(type)} web service runs {(type == WebserviceType.Node ? "'npm start' in ~/" + NodeDirectory : "~/" + PythonDirectory + "/app.py")}; give no command (or use --type generic).");
                break;
            case WebserviceType.Node:
                directory = NodeDirectory;
                command = "exec npm start";
                RequireFile(tool, NodeDirectory, "package.json", "a node web service runs 'npm start' there: put the app's package.json (with a start script) in it", problems);
                break;
            case WebserviceType.Python:
                directory = PythonDirectory;
                command = PythonCommand(PythonServer);
                RequireFile(tool, PythonDirectory, "app.py", "a python web service serves the WSGI or ASGI callable 'app' defined there", problems);
                break;
        }

        var jobRequest = new JobRunRequest
        {
            Name = WebserviceStatus.JobName,
            Command = command ?? "",
            Mem = request.Mem,
            Cpu = request.Cpu,
            Continuous = true,
            Replicas = request.Replicas,
            Port = 0,
            HealthCheckHttp = request.HealthPath ?? "/",
            WorkingDirectory = directory,
        };
        var found = new Problems();
        var job = JobRules.Build(jobRequest, tool, limits, site with { Queues = [Queues.Default] }, createdBy, now, found);

        // Say it in the request's words: its health path is the job's HTTP health check.
        problems.AddRange(found.Select(p => p.Field switch { "healthCheckHttp" => new Problem("healthPath", p.Message), "port" => new Problem("type", p.Message), _ => p }));
        if (job is not null)
        {
            job.Webservice = type;
            job.AllowDotPaths = request.AllowDotPaths == true;
        }

        return job;
    }

    /// <summary>The command of a Python web service: the venv's interpreter when there is one. The script's path is quoted for the shell.</summary>
    public static string PythonCommand(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var quoted = "'" + script.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        return $"if [ -x venv/bin/python3 ]; then exec venv/bin/python3 {quoted}; else exec python3 {quoted}; fi";
    }

    private static void RequireFile(Tool tool, string directory, string file, string why, Problems problems)
    {
        if (!File.Exists(Path.Combine(tool.Home, directory, file)))
        {
            problems.Add("type", $"~/{directory}/{file} does not exist: {why}.");
        }
    }
}
