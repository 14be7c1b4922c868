namespace LlmBench.Gpu.Peak;

/// <summary>
/// Times GPU work with CUDA events: warm-up first (module load, first-touch, clocks ramping), then repeated samples,
/// each long enough that the events' half-microsecond resolution and launch gaps do not matter; the median wins.
/// </summary>
public sealed class EventTimer(GpuDevice device, CudaStream stream)
{
    public int WarmupRuns { get; init; } = 3;

    public int Samples { get; init; } = 10;

    /// <summary>Each sample runs the work enough times to last at least this long.</summary>
    public double MinSampleMilliseconds { get; init; } = 5;

    /// <summary>Median milliseconds of one run of <paramref name="enqueue"/>.</summary>
    public double MedianMilliseconds(Action<CudaStream> enqueue)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        using var start = device.CreateEvent();
        using var end = device.CreateEvent();
        for (var i = 0; i < WarmupRuns; i++)
            enqueue(stream);
        var single = Time(enqueue, start, end, 1);
        var runsPerSample = (int)Math.Clamp(Math.Ceiling(MinSampleMilliseconds / Math.Max(single, 1e-3)), 1, 10_000);
        var samples = new double[Samples];
        for (var s = 0; s < Samples; s++)
            samples[s] = Time(enqueue, start, end, runsPerSample) / runsPerSample;
        return Median(samples);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("No values.", nameof(values));
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private double Time(Action<CudaStream> enqueue, CudaEvent start, CudaEvent end, int runs)
    {
        start.Record(stream);
        for (var i = 0; i < runs; i++)
            enqueue(stream);
        end.Record(stream);
        return CudaEvent.ElapsedMilliseconds(start, end);
    }
}
