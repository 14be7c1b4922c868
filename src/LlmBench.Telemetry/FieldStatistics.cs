namespace LlmBench.Telemetry;

/// <summary>Mean, maximum and median of one field over a run; percentiles interpolate linearly, as vLLM's do.</summary>
public sealed record FieldStatistics(double Mean, double Max, double P50, int Count)
{
    /// <summary>Statistics of the values present, or null when the field was never reported.</summary>
    public static FieldStatistics? Of(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        return present.Length == 0 ? null : new FieldStatistics(present.Average(), present[^1], Percentile(present, 50), present.Length);
    }

    /// <summary>Linear interpolation between closest ranks over sorted values (numpy's default).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
            throw new ArgumentException("No values.", nameof(sorted));
        var rank = percent / 100.0 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
