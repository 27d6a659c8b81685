namespace Toolgrid.Contracts.Validation;

/// <summary>How a user's input is quoted back in a message.</summary>
public static class InputText
{
    /// <summary>The input, cut to 64 characters so that a message stays readable whatever was sent.</summary>
    public static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
}
