namespace Toolgrid.Server;

/// <summary>The roles one toolgridd process plays.</summary>
public sealed record Roles(bool Api, bool Controller, bool Node, bool Proxy = false)
{
    public static readonly string[] Known = ["api", "controller", "node", "proxy"];

    public static Roles Parse(string text, out IReadOnlyList<string> unknown)
    {
        var names = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        unknown = names.Where(n => !Known.Contains(n)).ToList();
        return new Roles(names.Contains("api"), names.Contains("controller"), names.Contains("node"), names.Contains("proxy"));
    }

    public IReadOnlyList<string> Names =>
        Known.Where(n => n switch { "api" => Api, "controller" => Controller, "proxy" => Proxy, _ => Node }).ToList();

    public override string ToString() => string.Join(',', Names);
}
