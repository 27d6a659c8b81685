using Spectre.Console;
using Toolgrid.Cli.Output;
using Toolgrid.Contracts.Api;

namespace Toolgrid.Cli.Commands.Webservice;

/// <summary><c>webservice status</c> as a list of properties.</summary>
/// <remarks>The status is the API's sentence (e.g. "crash-looping: the last run ended (failed: exit code 1); …"), never a bare state.</remarks>
internal static class WebserviceOutput
{
    public static void WriteDetail(IAnsiConsole console, WebserviceView view)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        var properties = Tables.Properties();
        Tables.AddProperty(properties, "Web service", $"tool {view.Tool}");
        Tables.AddProperty(properties, "State", new Text(view.State, StyleOf(view.State)));
        Tables.AddProperty(properties, "Status", new Text(view.Status, StyleOf(view.State)));
        if (view.Warning is { } warning)
        {
            Tables.AddProperty(properties, "Warning", new Text(warning, new Style(Color.Yellow)));
        }

        Tables.AddProperty(properties, "Type", TypeInWords(view.Type));
        Tables.AddProperty(properties, view.Urls.Count == 1 ? "URL" : "URLs", view.Urls.Count == 0 ? "-" : string.Join(Environment.NewLine, view.Urls));
        if (view.Job is { } job)
        {
            Tables.AddProperty(properties, "Replicas", $"{view.Ready} ready of {view.Replicas} wanted");
            Tables.AddProperty(properties, "Command", job.Command);
            Tables.AddProperty(properties, "Resources", $"{job.Mem} memory, {job.Cpu} CPU per replica");
            Tables.AddProperty(properties, "Dot paths", view.AllowDotPaths
                ? "passed on to the web service (--allow-dot-paths)"
                : "answered 404 by the proxy, /.well-known/ aside (--allow-dot-paths passes them on)");
        }

        console.Write(properties);
    }

    /// <summary>The type, with what it means.</summary>
    public static string TypeInWords(string type) => type switch
    {
        "static" => "static (the proxy serves ~/public_html)",
        "none" => "none (no web service and no ~/public_html/index.html: the proxy shows the tool's default page)",
        "node" => "node ('npm start' in ~/www/js)",
        "python" => "python (the 'app' of ~/www/python/app.py)",
        _ => type,
    };

    private static Style StyleOf(string state) => state switch
    {
        "running" => new Style(Color.Green),
        "starting" => new Style(Color.Yellow),
        "crash-looping" => new Style(Color.Red),
        _ => new Style(Color.Grey),
    };
}
