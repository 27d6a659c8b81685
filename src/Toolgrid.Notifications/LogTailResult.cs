namespace Toolgrid.Notifications;

/// <summary>What <see cref="LogTail.Read"/> found: the text, nothing, or why the file is not shown.</summary>
internal sealed record LogTailResult(string? Text, string? Problem)
{
    public static LogTailResult Nothing { get; } = new(null, null);

    public static LogTailResult Of(string text) => new(text.Length == 0 ? null : text, null);

    public static LogTailResult Refused(string problem) => new(null, problem);
}
