namespace Toolgrid.Core.Backends;

/// <summary>Words of the shell scripts the grid backends submit.</summary>
public static class ShellWord
{
    /// <summary>A single-quoted shell word: exactly <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
