namespace Toolgrid.Server.Tests.Architecture.Tangle;

/// <summary>A root-namespace type of the loop fixture: reaches a folder by a partly qualified name.</summary>
public static class Anchor
{
    public static int Size(string text) => Lower.Count.Of(text);

    public static int Offset() => 1;
}
