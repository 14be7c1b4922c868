using System.Globalization;

namespace LlmBench.Telemetry;

/// <summary>
/// Writes samples as CSV in the spirit of `nvidia-smi dmon`, one row per GPU per round, flushed after every round
/// so an interrupted run (Ctrl-C) still leaves a complete file. Unsupported fields are left empty.
/// </summary>
public sealed class CsvSampleWriter : IDisposable
{
    public const string Header =
        "timestamp_utc,elapsed_s,gpu,gpu_util_pct,mem_util_pct,mem_used_mib,mem_total_mib,temp_c,power_w,energy_j,sm_clock_mhz,mem_clock_mhz,pstate,clock_event_reasons";

    private readonly TextWriter _writer;
    private readonly object _gate = new();

    public CsvSampleWriter(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    public static CsvSampleWriter Create(string path) => new(new StreamWriter(path, append: false) { AutoFlush = false });

    public void Write(IReadOnlyList<GpuSample> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        lock (_gate)
        {
            foreach (var sample in round)
                _writer.WriteLine(FormatRow(sample));
            _writer.Flush();
        }
    }

    public static string FormatRow(GpuSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var r = sample.Reading;
        string F(double? value, string format = "0.###") => value?.ToString(format, CultureInfo.InvariantCulture) ?? string.Empty;
        return string.Join(',',
            sample.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            F(sample.ElapsedSeconds, "0.000"),
            sample.GpuIndex.ToString(CultureInfo.InvariantCulture),
            F(r.GpuUtilizationPercent),
            F(r.MemoryUtilizationPercent),
            F(r.MemoryUsedBytes / 1048576.0, "0"),
            F(r.MemoryTotalBytes / 1048576.0, "0"),
            F(r.TemperatureC),
            F(r.PowerWatts, "0.00"),
            F(r.EnergyMillijoules / 1000.0, "0.000"),
            F(r.SmClockMHz),
            F(r.MemoryClockMHz),
            r.PerformanceState is { } p ? $"P{p}" : string.Empty,
            r.ClockEventReasons is { } reasons ? LlmBench.Gpu.Monitoring.ClockEventReasonsExtensions.Describe(reasons) : string.Empty);
    }

    public void Dispose()
    {
        lock (_gate)
            _writer.Dispose();
    }
}
