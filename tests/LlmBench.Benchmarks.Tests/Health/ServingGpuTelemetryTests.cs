using System.Text.Json;
using LlmBench.Benchmarks.Health;
using LlmBench.Gpu.Monitoring;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Serving.Export;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Tests.Health;

/// <summary>`bench serve`'s path from NVML samples to the saved JSON: GpuHealthBuilder over the whole run, then "llmbench"."gpu_telemetry".</summary>
public class ServingGpuTelemetryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// GPU 0, 11 samples at 10 Hz (0 to 1 s): utilization 0, 10, …, 100 %; power 300, 340, …, 700 W; 1000 + i MiB used;
    /// 50 + i °C; SM clock 1980 MHz for i &lt; 5 and 1755 MHz after; sw-power from i = 8; energy counter +50 J a sample.
    /// GPU 1, the same instants, 100 W flat and no energy counter.
    /// </summary>
    private static GpuSample[] Samples() =>
    [
        .. Enumerable.Range(0, 11).Select(i => new GpuSample(0, T0.AddSeconds(i * 0.1), i * 0.1, new NvmlReading(
            i * 10, 30, (1000L + i) * 1048576, 81_559L * 1048576, 50 + i, 300 + 40.0 * i, 1_000_000 + 50_000L * i,
            i < 5 ? 1980 : 1755, 2619, i >= 8 ? ClockEventReasons.SoftwarePowerCap : ClockEventReasons.None, 0))),
        .. Enumerable.Range(0, 11).Select(i => new GpuSample(1, T0.AddSeconds(i * 0.1), i * 0.1, new NvmlReading(
            0, 0, 512L * 1048576, 81_559L * 1048576, 35, 100, null, 345, 2619, ClockEventReasons.GpuIdle, 8))),
    ];

    /// <summary>Two requests of 100 and 150 output tokens: 250 in all.</summary>
    private static ServingResult Result()
    {
        IReadOnlyList<RequestRecord> records =
        [
            new() { Index = 0, Success = true, PromptTokens = 10, OutputTokens = 100, StartSeconds = 0, TtftMs = 50, E2elMs = 500 },
            new() { Index = 1, Success = true, PromptTokens = 10, OutputTokens = 150, StartSeconds = 0.1, TtftMs = 60, E2elMs = 800 },
        ];
        var info = new ServingRunInfo
        {
            Date = "20261123-060000", Backend = "openai", ModelId = "Qwen/Qwen3-0.6B", NumPrompts = 2,
            DatasetName = "random", ApiUrl = "http://127.0.0.1:8000/v1/completions",
        };
        return new ServingResult(info, ServingMetrics.Compute(records, 1.0, info.Percentiles, info.Goodput), records, ClientHealth.NotMeasured);
    }

    [Fact]
    public void Synthetic_samples_reach_the_saved_json_with_their_numbers()
    {
        var samples = Samples();
        var health = new[] { (0, "GPU-aaaa"), (1, "GPU-bbbb") }
            .Select(g => GpuHealthBuilder.For(g.Item1, "NVIDIA H100 80GB HBM3", samples, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, g.Item2))
            .ToArray();
        using var stream = new MemoryStream();
        ServingResultJson.Write(Result() with { GpuTelemetry = health }, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var telemetry = doc.RootElement.GetProperty("llmbench").GetProperty("gpu_telemetry");

        Assert.Equal(600, telemetry.GetProperty("energy_j").GetDouble(), 9); // 500 J counted + 100 J integrated
        Assert.Equal(2.4, telemetry.GetProperty("joules_per_output_token").GetDouble(), 9); // 600 J / 250 tokens

        var g0 = telemetry.GetProperty("gpus")[0];
        Assert.Equal("GPU-aaaa", g0.GetProperty("uuid").GetString());
        Assert.Equal(11, g0.GetProperty("samples").GetInt32());
        Assert.Equal(1.0, g0.GetProperty("duration_s").GetDouble(), 9);
        Assert.Equal(10, g0.GetProperty("sample_rate_hz").GetDouble(), 9);
        Assert.Equal(500, g0.GetProperty("mean_power_w").GetDouble(), 9);
        Assert.Equal(700, g0.GetProperty("max_power_w").GetDouble(), 9);
        Assert.Equal(500, g0.GetProperty("energy_j").GetDouble(), 9); // (1,500,000 − 1,000,000) mJ
        Assert.Equal("EnergyCounter", g0.GetProperty("energy_source").GetString());
        Assert.Equal(2.0, g0.GetProperty("joules_per_output_token").GetDouble(), 9);
        Assert.Equal(50, g0.GetProperty("mean_gpu_utilization_pct").GetDouble(), 9);
        Assert.Equal(100, g0.GetProperty("max_gpu_utilization_pct").GetDouble(), 9);
        Assert.Equal(1010.0 * 1048576, g0.GetProperty("max_memory_used_bytes").GetDouble(), 9);
        Assert.Equal(60, g0.GetProperty("max_temperature_c").GetDouble(), 9);
        Assert.Equal((5 * 1980 + 6 * 1755) / 11.0, g0.GetProperty("mean_sm_clock_mhz").GetDouble(), 9);
        Assert.Equal(3 / 11.0, g0.GetProperty("clock_event_share").GetProperty("sw-power").GetDouble(), 9);
        Assert.Equal(0, g0.GetProperty("clock_event_share").GetProperty("idle").GetDouble(), 9);
        Assert.Equal(3 / 11.0, g0.GetProperty("throttled_share").GetDouble(), 9);

        var g1 = telemetry.GetProperty("gpus")[1];
        Assert.Equal(100, g1.GetProperty("energy_j").GetDouble(), 9); // 100 W over 1 s
        Assert.Equal("IntegratedPower", g1.GetProperty("energy_source").GetString());
        Assert.Equal(0.4, g1.GetProperty("joules_per_output_token").GetDouble(), 9);
        Assert.Equal(1.0, g1.GetProperty("clock_event_share").GetProperty("idle").GetDouble(), 9);
        Assert.Equal(0, g1.GetProperty("throttled_share").GetDouble(), 9);
    }

    [Fact]
    public void Without_samples_the_key_is_null()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(Result(), stream);
        using var doc = JsonDocument.Parse(stream.ToArray());

        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("llmbench").GetProperty("gpu_telemetry").ValueKind);
        Assert.False(doc.RootElement.GetProperty("llmbench").TryGetProperty("telemetry", out _));
    }

    [Fact]
    public void The_samples_over_time_reach_the_saved_json_one_point_a_second()
    {
        // 2.5 s more of GPU 0 at 10 Hz after the first second: 36 samples, 0.0 to 3.5 s.
        GpuSample[] samples =
        [
            .. Samples(),
            .. Enumerable.Range(11, 25).Select(i => new GpuSample(0, T0.AddSeconds(i * 0.1), i * 0.1, new NvmlReading(
                100, 30, 2000L * 1048576, 81_559L * 1048576, 70, 650, null, 1755, 2619, ClockEventReasons.None, 0))),
        ];
        var series = new[] { GpuTimeSeriesBuilder.For(0, "NVIDIA H100 80GB HBM3", samples), GpuTimeSeriesBuilder.For(1, "NVIDIA H100 80GB HBM3", samples) };
        Assert.Null(GpuTimeSeriesBuilder.For(2, "absent", samples));
        using var stream = new MemoryStream();
        ServingResultJson.Write(Result() with { GpuTimeSeries = series! }, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var gpus = doc.RootElement.GetProperty("llmbench").GetProperty("telemetry").GetProperty("gpus");

        var g0 = gpus[0];
        Assert.Equal("2026-11-23T06:00:00.000Z", g0.GetProperty("start_utc").GetString());
        Assert.Equal(36, g0.GetProperty("source_samples").GetInt32());
        Assert.Equal("[0,1,2,3]", g0.GetProperty("t_s").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        // 0.0-0.9 s: samples 0-9 of the first second (50 + i °C, 300 + 40 i W, 1980 MHz for i < 5 then 1755); 1.0 s starts the second point.
        Assert.Equal(54.5, g0.GetProperty("temperature_c")[0].GetDouble(), 9);
        Assert.Equal(480, g0.GetProperty("power_w")[0].GetDouble(), 9);
        Assert.Equal(1868, g0.GetProperty("sm_clock_mhz")[0].GetDouble(), 9); // 1867.5 rounded away from zero
        Assert.Equal(1009.0 * 1048576, g0.GetProperty("memory_used_bytes")[0].GetDouble(), 9);
        // 1.0-1.9 s: sample 10 (60 °C, 700 W, 1010 MiB) and nine at 70 °C, 650 W, 2000 MiB.
        Assert.Equal(69, g0.GetProperty("temperature_c")[1].GetDouble(), 9);
        Assert.Equal(655, g0.GetProperty("power_w")[1].GetDouble(), 9);
        Assert.Equal(2000.0 * 1048576, g0.GetProperty("memory_used_bytes")[1].GetDouble(), 9);
        Assert.Equal(2, gpus[1].GetProperty("points").GetInt32()); // GPU 1: 0.0 to 1.0 s
        Assert.Equal(100, gpus[1].GetProperty("power_w")[0].GetDouble(), 9);
    }
}
