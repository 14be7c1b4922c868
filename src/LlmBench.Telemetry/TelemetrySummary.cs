using LlmBench.Gpu.Monitoring;

namespace LlmBench.Telemetry;

/// <summary>How energy was obtained: the driver's energy counter, or power readings integrated over time.</summary>
public enum EnergySource
{
    None,
    EnergyCounter,
    IntegratedPower,
}

/// <summary>One GPU's health over a run.</summary>
public sealed record GpuTelemetrySummary(
    int GpuIndex,
    string Name,
    int SampleCount,
    double DurationSeconds,
    FieldStatistics? GpuUtilizationPercent,
    FieldStatistics? MemoryUtilizationPercent,
    FieldStatistics? MemoryUsedBytes,
    FieldStatistics? TemperatureC,
    FieldStatistics? PowerWatts,
    FieldStatistics? SmClockMHz,
    FieldStatistics? MemoryClockMHz,
    double? EnergyJoules,
    EnergySource EnergySource,
    IReadOnlyDictionary<string, double> ClockEventShare);

/// <summary>The summary of a sampler's run, per GPU.</summary>
public sealed record TelemetrySummary(IReadOnlyList<GpuTelemetrySummary> Gpus)
{
    public static TelemetrySummary From(IReadOnlyList<GpuSample> samples, IReadOnlyList<(int Index, string Name)> gpus)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(gpus);
        return new TelemetrySummary(gpus.Select(g => Summarize(g.Index, g.Name, samples.Where(s => s.GpuIndex == g.Index).OrderBy(s => s.ElapsedSeconds).ToArray())).ToArray());
    }

    private static GpuTelemetrySummary Summarize(int index, string name, GpuSample[] samples)
    {
        var readings = samples.Select(s => s.Reading).ToArray();
        var (energy, source) = Energy(samples);
        return new GpuTelemetrySummary(
            index,
            name,
            samples.Length,
            samples.Length > 1 ? samples[^1].ElapsedSeconds - samples[0].ElapsedSeconds : 0,
            FieldStatistics.Of(readings.Select(r => (double?)r.GpuUtilizationPercent)),
            FieldStatistics.Of(readings.Select(r => (double?)r.MemoryUtilizationPercent)),
            FieldStatistics.Of(readings.Select(r => (double?)r.MemoryUsedBytes)),
            FieldStatistics.Of(readings.Select(r => (double?)r.TemperatureC)),
            FieldStatistics.Of(readings.Select(r => r.PowerWatts)),
            FieldStatistics.Of(readings.Select(r => (double?)r.SmClockMHz)),
            FieldStatistics.Of(readings.Select(r => (double?)r.MemoryClockMHz)),
            energy,
            source,
            ClockEventShare(readings));
    }

    /// <summary>The energy counter where every sample has it (exact, includes between-sample spikes), else ∫ power dt.</summary>
    private static (double? Joules, EnergySource Source) Energy(GpuSample[] samples)
    {
        if (samples.Length < 2)
            return (null, EnergySource.None);
        if (samples.All(s => s.Reading.EnergyMillijoules is not null))
            return ((samples[^1].Reading.EnergyMillijoules!.Value - samples[0].Reading.EnergyMillijoules!.Value) / 1000.0, EnergySource.EnergyCounter);

        var withPower = samples.Where(s => s.Reading.PowerWatts is not null).ToArray();
        if (withPower.Length < 2)
            return (null, EnergySource.None);
        var joules = 0.0;
        for (var i = 1; i < withPower.Length; i++)
        {
            var dt = withPower[i].ElapsedSeconds - withPower[i - 1].ElapsedSeconds;
            joules += dt * (withPower[i].Reading.PowerWatts!.Value + withPower[i - 1].Reading.PowerWatts!.Value) / 2;
        }

        return (joules, EnergySource.IntegratedPower);
    }

    /// <summary>For each reason, the share of samples (that report reasons) during which it was active.</summary>
    private static Dictionary<string, double> ClockEventShare(NvmlReading[] readings)
    {
        var reported = readings.Where(r => r.ClockEventReasons is not null).Select(r => r.ClockEventReasons!.Value).ToArray();
        if (reported.Length == 0)
            return [];
        return ClockEventReasonsExtensions.All.ToDictionary(
            r => r.ShortName(),
            r => reported.Count(x => x.HasFlag(r)) / (double)reported.Length);
    }
}
