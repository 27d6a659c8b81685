namespace Toolgrid.Server.Tests.Architecture.Tangle.Lower;

/// <summary>Uses the root namespace's <see cref="Anchor"/> with no using directive (C# finds it in the parent namespace), closing the loop.</summary>
public static class Count
{
    public static int Of(string text) => text.Length + Anchor.Offset();
}
