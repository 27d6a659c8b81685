using System.Globalization;

namespace Toolgrid.Contracts.Jobs;

/// <summary>Parses and formats CPU quantities: <c>0.5</c>, <c>1</c>, <c>250m</c> (millicores).</summary>
public static class CpuQuantity
{
    public static bool TryParse(string? text, out int millis, out string error)
    {
        millis = 0;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a CPU quantity is required, such as 0.5 or 250m.";
            return false;
        }

        var s = text.Trim();
        if (s.EndsWith('m'))
        {
            if (int.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            {
                millis = m;
                return true;
            }

            error = $"'{text}' is not a CPU quantity: write millicores as a whole number, such as 250m.";
            return false;
        }

        if (decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores) && cores < 100_000)
        {
            var exact = cores * 1000;
            if (exact != decimal.Floor(exact))
            {
                error = $"'{text}' is finer than a thousandth of a CPU.";
                return false;
            }

            millis = (int)exact;
            return true;
        }

        error = $"'{text}' is not a CPU quantity: write cores, such as 0.5 or 1, or millicores, such as 250m.";
        return false;
    }

    public static string Format(int millis) =>
        millis % 1000 == 0
            ? (millis / 1000).ToString(CultureInfo.InvariantCulture)
            : (millis / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}
