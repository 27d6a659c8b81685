using Toolgrid.Contracts.Validation;

namespace Toolgrid.Contracts.Jobs;

/// <summary>A run's file-mode creation mask (its umask) as people type and read it: octal, <c>022</c>, 0 to 0777.</summary>
public static class FileMask
{
    /// <summary>The largest mask, 0777.</summary>
    public const int Max = 0b111_111_111;

    public static bool IsValid(int mask) => mask is >= 0 and <= Max;

    /// <summary>The mask <paramref name="text"/> gives in octal; false, with <paramref name="error"/> in words, when it gives none.</summary>
    public static bool TryParse(string? text, out int mask, out string error)
    {
        mask = -1;
        error = "";
        try
        {
            mask = Convert.ToInt32(text?.Trim() ?? "", 8);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
        }

        if (IsValid(mask))
        {
            return true;
        }

        error = $"'{InputText.Shorten(text ?? "")}' is not a umask: give three octal digits such as 022.";
        return false;
    }

    /// <summary>The mask in three octal digits at least, as <c>jobs show</c> and the diff of <c>jobs load</c> print it: <c>022</c>.</summary>
    public static string Format(int mask) => Convert.ToString(mask, 8).PadLeft(3, '0');
}
