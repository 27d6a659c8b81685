using Microsoft.Win32.SafeHandles;

namespace Toolgrid.Native.Files;

/// <summary>The file <see cref="ToolFile.Open"/> opened, or why it did not.</summary>
/// <param name="Outcome">What came of it.</param>
/// <param name="Reason">Why it is refused, as a predicate for a sentence whose subject is the file ("leads outside the tool's home (to /etc/shadow)"); empty when opened or missing.</param>
/// <param name="Handle">The open file, the caller's to dispose; set only when <see cref="ToolFileOutcome.Opened"/>.</param>
/// <param name="Facts">What the file is; set when it was opened inside the home and examined, refused or not.</param>
/// <param name="RealPath">Where the opened file really is; set when it was opened, refused or not.</param>
/// <param name="Errno">The error of <c>open</c>, for <see cref="ToolFileOutcome.Missing"/> and <see cref="ToolFileOutcome.CannotOpen"/>.</param>
public sealed record ToolFileResult(ToolFileOutcome Outcome, string Reason, SafeFileHandle? Handle, FileFacts? Facts, string? RealPath, int Errno)
{
    /// <summary>The handle of an opened file; throws otherwise.</summary>
    public SafeFileHandle OpenedHandle => Handle ?? throw new InvalidOperationException($"The file was not opened ({Outcome}).");
}
