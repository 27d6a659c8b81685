using System.CommandLine;

namespace Toolgrid.Cli.Commands;

/// <summary>The options every command takes, before or after its name.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Tool { get; } = new("--tool")
    {
        Description = "The tool to act for (default: $TOOLGRID_TOOL, or the tool you are after 'become').",
        HelpName = "TOOL",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON instead of tables, for scripts.",
        Recursive = true,
    };

    public Option<string?> Api { get; } = new("--api")
    {
        Description = "Where the API is: unix:/path/api.sock, or http(s)://host:port with a token in $TOOLGRID_TOKEN (default: $TOOLGRID_API, else toolgridd's socket on this host).",
        HelpName = "ADDRESS",
        Recursive = true,
    };
}
