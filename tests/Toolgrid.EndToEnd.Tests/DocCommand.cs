namespace Toolgrid.EndToEnd.Tests;

/// <summary>
/// One command of a <c>```sh</c> block of the docs: <paramref name="Text"/> as written (comments
/// included; several lines when a quote spans them), <paramref name="Command"/> without its
/// comments, and where it starts.
/// </summary>
public sealed record DocCommand(string File, int Line, string Text, string Command)
{
    public string Where => $"{File}:{Line}";

    /// <summary>The program the command starts with (its first word).</summary>
    public string Program => Command.Split(' ', 2)[0];
}
