using System.Globalization;

namespace Toolgrid.Bench.Stats;

/// <summary>A summary of measured values (milliseconds, bytes, …): count, mean and nearest-rank percentiles.</summary>
internal sealed record Distribution(int Count, double Mean, double Min, double P50, double P90, double P99, double Max)
{
    public static Distribution Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        return new Distribution(
            sorted.Length,
            sorted.Average(),
            sorted[0],
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.90),
            Percentile(sorted, 0.99),
            sorted[^1]);
    }

    /// <summary>The nearest-rank percentile of already sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>"p50 12.3 · p90 … · p99 … · max …" with <paramref name="format"/> for each figure.</summary>
    public string Describe(string format = "0.0") => Count == 0
        ? "—"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50.ToString(format, CultureInfo.InvariantCulture)} · p90 {P90.ToString(format, CultureInfo.InvariantCulture)} · p99 {P99.ToString(format, CultureInfo.InvariantCulture)} · max {Max.ToString(format, CultureInfo.InvariantCulture)}");
}
