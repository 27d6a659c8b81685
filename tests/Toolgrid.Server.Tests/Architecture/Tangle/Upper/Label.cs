namespace Toolgrid.Server.Tests.Architecture.Tangle.Upper;

/// <summary>Uses a lower folder only by its fully qualified name, in a method body: a layer above, no loop.</summary>
public static class Label
{
    public static int Width(string text) => global::Toolgrid.Server.Tests.Architecture.Tangle.Lower.Count.Of(text) + 2;
}
