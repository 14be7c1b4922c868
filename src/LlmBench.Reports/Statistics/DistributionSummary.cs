namespace LlmBench.Reports.Statistics;

/// <summary>
/// Mean, median, population standard deviation and chosen percentiles of one sample, computed as numpy
/// computes them (np.mean, np.median, np.std with ddof=0, np.percentile with linear interpolation), so
/// our figures match `vllm bench serve` on the same data. An empty sample summarizes to zeros, as
/// vLLM's `np.mean(values or 0)` does.
/// </summary>
public sealed record DistributionSummary(
    int Count,
    double Mean,
    double Median,
    double StdDev,
    IReadOnlyList<PercentileValue> Percentiles)
{
    public static DistributionSummary Compute(IEnumerable<double> values, IReadOnlyList<double> percentiles)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0)
            return new DistributionSummary(0, 0, 0, 0, percentiles.Select(p => new PercentileValue(p, 0)).ToArray());

        double sum = 0;
        foreach (var v in sorted)
            sum += v;
        var mean = sum / sorted.Length;
        double squares = 0;
        foreach (var v in sorted)
            squares += (v - mean) * (v - mean);
        var std = Math.Sqrt(squares / sorted.Length);

        return new DistributionSummary(
            sorted.Length,
            mean,
            PercentileOfSorted(sorted, 50),
            std,
            percentiles.Select(p => new PercentileValue(p, PercentileOfSorted(sorted, p))).ToArray());
    }

    /// <summary>The value at <paramref name="percentile"/> (0..100), numpy's default "linear" method.</summary>
    public static double PercentileOfSorted(ReadOnlySpan<double> sorted, double percentile)
    {
        if (sorted.IsEmpty)
            return 0;
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile lies in [0, 100].");
        var rank = percentile / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    public double ValueAt(double percentile) =>
        Percentiles.FirstOrDefault(p => p.Percentile == percentile)?.Value
        ?? throw new ArgumentException($"Percentile {percentile} was not computed.", nameof(percentile));
}

/// <summary>One percentile (0..100) and its value.</summary>
public sealed record PercentileValue(double Percentile, double Value)
{
    /// <summary>"99" or "99.9", as vLLM names its keys (p99_ttft_ms, p99.9_ttft_ms).</summary>
    public string Label => PercentileLabel(Percentile);

    public static string PercentileLabel(double percentile) =>
        percentile == Math.Floor(percentile)
            ? ((long)percentile).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : percentile.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
