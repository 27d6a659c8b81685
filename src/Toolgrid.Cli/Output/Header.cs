namespace Toolgrid.Cli.Output;

/// <summary>A column of a table: its heading, and whether its values may fold over several lines (free text does; names, states and times do not).</summary>
internal readonly record struct Header(string Text, bool Wraps = false)
{
    public static implicit operator Header(string text) => new(text);

    public static Header FromString(string text) => new(text);
}
