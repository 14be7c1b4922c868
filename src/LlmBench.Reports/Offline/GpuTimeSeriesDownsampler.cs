namespace LlmBench.Reports.Offline;

/// <summary>
/// Turns one GPU's raw readings (10 Hz while a benchmark runs) into the bounded series a result file keeps: one point per
/// interval of <see cref="DefaultIntervalSeconds"/>, widened to a whole multiple of it when the readings span more than
/// <see cref="DefaultMaxPoints"/> intervals, so a series never has more than that many points. Temperature, power and
/// SM clock are the interval's means (rounded to 0.1 °C, 0.1 W, 1 MHz), memory used is its maximum.
/// </summary>
public static class GpuTimeSeriesDownsampler
{
    public const double DefaultIntervalSeconds = 1;

    /// <summary>An hour at one point a second; a longer run gets wider intervals instead of more points.</summary>
    public const int DefaultMaxPoints = 3600;

    /// <returns>The series, or null when there are no readings.</returns>
    public static GpuTimeSeries? Downsample(int gpuIndex, string name, IReadOnlyList<TelemetryReading> readings,
        double intervalSeconds = DefaultIntervalSeconds, int maxPoints = DefaultMaxPoints)
    {
        if (!(intervalSeconds > 0) || maxPoints < 1)
            throw new ArgumentOutOfRangeException(nameof(intervalSeconds), "the interval must be positive and the series at least one point long.");
        if (readings.Count == 0)
            return null;
        var start = readings.Min(r => r.ElapsedSeconds);
        var span = readings.Max(r => r.ElapsedSeconds) - start;
        // k whole intervals per point keeps span / width below maxPoints, so the bucket indices stay under maxPoints.
        var width = intervalSeconds * (Math.Floor(span / (maxPoints * intervalSeconds)) + 1);
        var buckets = readings.GroupBy(r => (int)Math.Floor((r.ElapsedSeconds - start) / width)).OrderBy(g => g.Key).ToList();
        return new GpuTimeSeries(
            gpuIndex,
            name,
            width,
            buckets.Select(b => b.Key * width).ToArray(),
            buckets.Select(b => Mean(b.Select(r => r.TemperatureC), 1)).ToArray(),
            buckets.Select(b => Mean(b.Select(r => r.PowerWatts), 1)).ToArray(),
            buckets.Select(b => Mean(b.Select(r => r.SmClockMHz), 0)).ToArray(),
            buckets.Select(b => b.Select(r => r.MemoryUsedBytes).Max()).ToArray())
        {
            SourceSamples = readings.Count,
        };
    }

    private static double? Mean(IEnumerable<double?> values, int digits)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : Math.Round(present.Average(), digits, MidpointRounding.AwayFromZero);
    }
}
