using Spectre.Console;

namespace Toolgrid.Cli.Output;

/// <summary>The colour of a run state, so that failures stand out on a terminal (and nowhere else).</summary>
internal static class StateStyle
{
    public static Style For(string? state) => state switch
    {
        "succeeded" => new Style(Color.Green),
        "failed" => new Style(Color.Red),
        "lost" => new Style(Color.Fuchsia),
        "killed" or "skipped" => new Style(Color.Grey),
        "running" => new Style(Color.Blue),
        "queued" or "starting" => new Style(Color.Yellow),
        _ => Style.Plain,
    };

    public static Text Text(string? state, string? text = null) => new(text ?? state ?? "", For(state));
}
