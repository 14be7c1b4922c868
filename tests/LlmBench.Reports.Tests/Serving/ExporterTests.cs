using System.Text;
using System.Text.Json;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Serving.Export;

namespace LlmBench.Reports.Tests.Serving;

public class ExporterTests
{
    private static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", name);

    /// <summary>Compares with the golden file; on a mismatch leaves the actual text beside it (NAME.actual) to diff.</summary>
    private static void AssertGolden(string name, string actual)
    {
        var expected = File.ReadAllText(GoldenPath(name));
        if (expected != actual)
            File.WriteAllText(GoldenPath(name) + ".actual", actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Text_report_matches_the_golden_file()
    {
        var text = ServingTextReport.Render(SampleRuns.Result(requestRate: 4, goodput: new GoodputSlo(150, null, null)));

        AssertGolden("serving-report.txt", text);
    }

    [Fact]
    public void Text_report_follows_vllm_layout()
    {
        var lines = ServingTextReport.Render(SampleRuns.Result()).Split('\n');

        Assert.Equal("============ Serving Benchmark Result ============", lines[0]);
        Assert.Equal("Successful requests:                     3         ", lines[1]);
        Assert.Contains("---------------Time to First Token----------------", lines);
        Assert.Contains("-----Time per Output Token (excl. 1st token)------", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("Request rate configured", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Request goodput", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_matches_the_golden_file()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(SampleRuns.Result(requestRate: 4, goodput: new GoodputSlo(150, null, null)), stream);

        AssertGolden("serving-result.json", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Json_with_gpu_telemetry_matches_the_golden_file()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(SampleRuns.Result() with { GpuTelemetry = SampleRuns.TwoGpus() }, stream);

        AssertGolden("serving-result-gpu-telemetry.json", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Json_uses_vllm_keys_and_values()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(SampleRuns.Result(), stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;

        Assert.Equal("inf", root.GetProperty("request_rate").GetString());
        Assert.Equal(2, root.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(3, root.GetProperty("completed").GetInt32());
        Assert.Equal(1, root.GetProperty("failed").GetInt32());
        Assert.Equal(4.0, root.GetProperty("output_throughput").GetDouble());
        Assert.Equal(29.6, root.GetProperty("p99_itl_ms").GetDouble(), 9);
        Assert.Equal(140, root.GetProperty("median_e2el_ms").GetDouble());
        Assert.Equal("H100", root.GetProperty("gpu").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("request_goodput").ValueKind);
        Assert.False(root.GetProperty("llmbench").GetProperty("serving_constraints").GetProperty("valid").GetBoolean());
    }

    private static JsonDocument Json(ServingResult result)
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(result, stream);
        return JsonDocument.Parse(stream.ToArray());
    }

    [Fact]
    public void Json_without_gpu_telemetry_says_null()
    {
        using var doc = Json(SampleRuns.Result());

        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("llmbench").GetProperty("gpu_telemetry").ValueKind);
        Assert.False(doc.RootElement.TryGetProperty("gpu_telemetry", out _));
    }

    [Fact]
    public void Json_carries_each_gpus_telemetry_and_the_energy_per_output_token()
    {
        using var doc = Json(SampleRuns.Result() with { GpuTelemetry = SampleRuns.TwoGpus() });
        var telemetry = doc.RootElement.GetProperty("llmbench").GetProperty("gpu_telemetry");

        Assert.Equal(64, telemetry.GetProperty("energy_j").GetDouble()); // 48 J + 16 J
        Assert.Equal(8, telemetry.GetProperty("joules_per_output_token").GetDouble()); // 64 J over 3 + 1 + 4 tokens
        var gpus = telemetry.GetProperty("gpus").EnumerateArray().ToArray();
        Assert.Equal(2, gpus.Length);

        var g = gpus[0];
        Assert.Equal(0, g.GetProperty("gpu_index").GetInt32());
        Assert.Equal("NVIDIA H100 80GB HBM3", g.GetProperty("name").GetString());
        Assert.Equal("GPU-0b7a3c1e-0000-4000-8000-000000000000", g.GetProperty("uuid").GetString());
        Assert.Equal(201, g.GetProperty("samples").GetInt32());
        Assert.Equal(20, g.GetProperty("duration_s").GetDouble());
        Assert.Equal(10, g.GetProperty("sample_rate_hz").GetDouble(), 12); // 200 intervals in 20 s
        Assert.Equal(412.25, g.GetProperty("mean_power_w").GetDouble());
        Assert.Equal(698.7, g.GetProperty("max_power_w").GetDouble());
        Assert.Equal(48, g.GetProperty("energy_j").GetDouble());
        Assert.Equal("EnergyCounter", g.GetProperty("energy_source").GetString());
        Assert.Equal(6, g.GetProperty("joules_per_output_token").GetDouble()); // 48 J / 8 tokens
        Assert.Equal(93.7, g.GetProperty("mean_gpu_utilization_pct").GetDouble());
        Assert.Equal(100, g.GetProperty("max_gpu_utilization_pct").GetDouble());
        Assert.Equal(70_000.0 * 1048576, g.GetProperty("max_memory_used_bytes").GetDouble());
        Assert.Equal(68, g.GetProperty("max_temperature_c").GetDouble());
        Assert.Equal(1877.6, g.GetProperty("mean_sm_clock_mhz").GetDouble());
        Assert.Equal(0.3, g.GetProperty("throttled_share").GetDouble());
        var share = g.GetProperty("clock_event_share");
        Assert.Equal(["idle", "sw-power", "hw-thermal"], share.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.25, share.GetProperty("sw-power").GetDouble());
        Assert.Equal(0.05, share.GetProperty("hw-thermal").GetDouble());

        Assert.Equal("IntegratedPower", gpus[1].GetProperty("energy_source").GetString());
        Assert.Equal(2, gpus[1].GetProperty("joules_per_output_token").GetDouble()); // 16 J / 8 tokens
        Assert.Equal(1.0, gpus[1].GetProperty("clock_event_share").GetProperty("idle").GetDouble());
    }

    [Fact]
    public void Json_has_no_energy_total_unless_every_gpu_has_energy()
    {
        var gpus = SampleRuns.TwoGpus();
        using var doc = Json(SampleRuns.Result() with { GpuTelemetry = [gpus[0], gpus[1] with { EnergyJoules = null, EnergySource = "None" }] });
        var telemetry = doc.RootElement.GetProperty("llmbench").GetProperty("gpu_telemetry");

        Assert.Equal(JsonValueKind.Null, telemetry.GetProperty("energy_j").ValueKind);
        Assert.Equal(JsonValueKind.Null, telemetry.GetProperty("joules_per_output_token").ValueKind);
        Assert.Equal(6, telemetry.GetProperty("gpus")[0].GetProperty("joules_per_output_token").GetDouble());
        Assert.Equal(JsonValueKind.Null, telemetry.GetProperty("gpus")[1].GetProperty("joules_per_output_token").ValueKind);
    }

    [Fact]
    public void Gpu_telemetry_leaves_every_vllm_key_as_it_was()
    {
        using var without = Json(SampleRuns.Result());
        using var with = Json(SampleRuns.Result() with { GpuTelemetry = SampleRuns.TwoGpus() });

        static string[] Outside(JsonDocument d) =>
            d.RootElement.EnumerateObject().Where(p => p.Name != "llmbench").Select(p => $"{p.Name}={p.Value.GetRawText()}").ToArray();
        Assert.Equal(Outside(without), Outside(with));
        Assert.Equal(
            without.RootElement.EnumerateObject().Select(p => p.Name),
            with.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Text_report_ends_with_one_line_per_gpu_and_the_energy_per_token()
    {
        var lines = ServingTextReport.Render(SampleRuns.Result() with { GpuTelemetry = SampleRuns.TwoGpus() })
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "GPU 0 NVIDIA H100 80GB HBM3: util mean 94 % / max 100 %, power mean 412 / max 699 W, temp max 68 °C, " +
                "SM clock mean 1878 MHz, energy 48 J (energy counter), throttled 30 % of samples.",
                "GPU 1 NVIDIA H100 80GB HBM3: util mean 0 % / max 0 %, power mean 80 / max 81 W, temp max 41 °C, " +
                "SM clock mean 345 MHz, energy 16 J (integrated power), throttled 0 % of samples.",
                "GPU energy per output token: 8.000 J (64 J over 8 tokens)",
            ],
            lines[^3..]);
        Assert.DoesNotContain(ServingTextReport.Render(SampleRuns.Result()).Split('\n'), l => l.StartsWith("GPU", StringComparison.Ordinal));
    }

    [Fact]
    public void Jsonl_has_one_parsable_record_per_request()
    {
        using var stream = new MemoryStream();
        RequestRecordsJsonl.Write(SampleRuns.FourRequests(), stream);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n').Split('\n');

        Assert.Equal(4, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(20, first.RootElement.GetProperty("tpot_ms").GetDouble(), 12);
        Assert.Equal([10.0, 30.0], first.RootElement.GetProperty("itl_ms").EnumerateArray().Select(e => e.GetDouble()));
        using var failed = JsonDocument.Parse(lines[3]);
        Assert.False(failed.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("HTTP 503: overloaded", failed.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Result_file_name_follows_vllm_unless_given()
    {
        var info = SampleRuns.Result(requestRate: 10).Info;

        Assert.Equal("openai-10.0qps-concurrency2-Qwen3-0.6B-20250101-120000.json", ServingResultFileName.Default(info));
        Assert.Equal(Path.Combine("out", "x.json"), ServingResultFileName.Resolve(info, "out", "x.json"));
        Assert.Equal(Path.Combine("out", "x.requests.jsonl"), ServingResultFileName.RequestsPath(Path.Combine("out", "x.json")));
        Assert.StartsWith("openai-infqps", ServingResultFileName.Default(SampleRuns.Result().Info), StringComparison.Ordinal);
    }
}

public class LatencyBasisTests
{
    /// <summary><see cref="SampleRuns.FourRequests"/> with request #0 sent 30 ms and #2 sent 10 ms after their scheduled times.</summary>
    private static ServingResult Waited(string basis)
    {
        var baseline = SampleRuns.Result();
        var records = baseline.Records.Select(r => r.Index switch
        {
            0 => r with { SendWaitMs = 30 },
            2 => r with { SendWaitMs = 10 },
            _ => r,
        }).ToArray();
        var info = baseline.Info with { LatencyFrom = basis };
        var metrics = ServingMetrics.Compute(LatencyBasis.Apply(records, basis), 2.0, info.Percentiles, info.Goodput);
        return baseline with { Info = info, Metrics = metrics, Records = records };
    }

    [Fact]
    public void From_scheduled_adds_the_send_wait_to_ttft_and_e2el_but_not_to_tpot_or_itl()
    {
        var sent = Waited(LatencyBasis.Sent).Metrics;
        var scheduled = Waited(LatencyBasis.Scheduled).Metrics;

        // TTFTs 100, 200, 50 from the send; 130, 200, 60 from the schedule.
        Assert.Equal((100 + 200 + 50) / 3.0, sent.TtftMs.Mean, 9);
        Assert.Equal((130 + 200 + 60) / 3.0, scheduled.TtftMs.Mean, 9);
        Assert.Equal((140 + 200 + 110) / 3.0, sent.E2elMs.Mean, 9);
        Assert.Equal((170 + 200 + 120) / 3.0, scheduled.E2elMs.Mean, 9);
        Assert.Equal(sent.TpotMs.Mean, scheduled.TpotMs.Mean, 9);
        Assert.Equal(sent.P99TpotMs, scheduled.P99TpotMs, 9);
        Assert.Equal(sent.ItlMs.Mean, scheduled.ItlMs.Mean, 9);
    }

    [Fact]
    public void Json_carries_the_basis_the_send_wait_and_both_bases()
    {
        using var stream = new MemoryStream();
        ServingResultJson.Write(Waited(LatencyBasis.Scheduled), stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        var own = root.GetProperty("llmbench");

        Assert.Equal("scheduled", own.GetProperty("latency_from").GetString());
        Assert.Equal(30, own.GetProperty("send_wait_ms").GetProperty("max").GetDouble());
        Assert.Equal(10, own.GetProperty("send_wait_ms").GetProperty("mean").GetDouble(), 9);
        Assert.Equal((100 + 200 + 50) / 3.0, own.GetProperty("latency_from_sent").GetProperty("mean_ttft_ms").GetDouble(), 9);
        Assert.Equal((130 + 200 + 60) / 3.0, own.GetProperty("latency_from_scheduled").GetProperty("mean_ttft_ms").GetDouble(), 9);
        // vLLM's keys follow the chosen basis.
        Assert.Equal((130 + 200 + 60) / 3.0, root.GetProperty("mean_ttft_ms").GetDouble(), 9);
    }

    [Fact]
    public void Jsonl_and_csv_carry_each_requests_send_wait()
    {
        var result = Waited(LatencyBasis.Sent);
        using var jsonl = new MemoryStream();
        RequestRecordsJsonl.Write(result.Records, jsonl);
        using var csv = new MemoryStream();
        ServingResultCsv.Write(result, csv);

        var first = JsonDocument.Parse(Encoding.UTF8.GetString(jsonl.ToArray()).Split('\n')[0]).RootElement;
        Assert.Equal(30, first.GetProperty("send_wait_ms").GetDouble());
        var lines = Encoding.UTF8.GetString(csv.ToArray()).Split('\n');
        Assert.EndsWith(",error,send_wait_ms", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",30", lines[1], StringComparison.Ordinal);
    }
}

public class RampUpJsonTests
{
    [Fact]
    public void A_ramp_is_saved_under_vllms_keys_and_nothing_is_written_without_one()
    {
        using var with = new MemoryStream();
        var result = SampleRuns.Result();
        ServingResultJson.Write(result with { Info = result.Info with { RampUp = new RampUpInfo("linear", 1, 10) } }, with);
        using var without = new MemoryStream();
        ServingResultJson.Write(result, without);

        var root = JsonDocument.Parse(with.ToArray()).RootElement;
        Assert.Equal("linear", root.GetProperty("ramp_up_strategy").GetString());
        Assert.Equal(1, root.GetProperty("ramp_up_start_rps").GetDouble());
        Assert.Equal(10, root.GetProperty("ramp_up_end_rps").GetDouble());
        Assert.False(JsonDocument.Parse(without.ToArray()).RootElement.TryGetProperty("ramp_up_strategy", out _));
    }
}

public class TimeSliceTests
{
    [Fact]
    public void Requests_fall_in_the_window_they_ended_in_and_throughput_divides_by_the_windows_length()
    {
        // Ends: #0 at 0.14 s, #1 at 0.25 s, #2 at 0.61 s; #3 failed, sent at 0.1 s. A 1.75 s run in 0.5 s windows.
        var slices = TimeSlices.Compute(SampleRuns.FourRequests(), 0.5, 1.75, [50, 99]);

        Assert.Equal(4, slices.Count);
        Assert.Equal((2, 1), (slices[0].Completed, slices[0].Failed));
        Assert.Equal(4, slices[0].RequestThroughput, 9);
        Assert.Equal((3 + 1) / 0.5, slices[0].OutputThroughput, 9);
        Assert.Equal(199, slices[0].TtftMs.ValueAt(99), 9); // TTFTs 100 and 200: numpy's P99 is 199.
        Assert.Equal((1, 0), (slices[1].Completed, slices[1].Failed));
        Assert.Equal(50, slices[1].TtftMs.Mean, 9);
        Assert.Equal(0, slices[2].Completed);
        Assert.Equal((1.5, 1.75), (slices[3].StartSeconds, slices[3].EndSeconds));
        Assert.Equal(0, slices[3].RequestThroughput);
    }

    [Fact]
    public void Json_has_the_windows_under_llmbench_only_when_asked()
    {
        var result = SampleRuns.Result();
        using var sliced = new MemoryStream();
        ServingResultJson.Write(result with { Info = result.Info with { SliceDurationSeconds = 1 } }, sliced);
        using var plain = new MemoryStream();
        ServingResultJson.Write(result, plain);

        var timeslices = JsonDocument.Parse(sliced.ToArray()).RootElement.GetProperty("llmbench").GetProperty("timeslices");
        Assert.Equal(1, timeslices.GetProperty("slice_duration_s").GetDouble());
        var slices = timeslices.GetProperty("slices").EnumerateArray().ToArray();
        Assert.Equal(2, slices.Length);
        Assert.Equal(3, slices[0].GetProperty("completed").GetInt32());
        Assert.Equal(1, slices[0].GetProperty("failed").GetInt32());
        Assert.Equal(3, slices[0].GetProperty("request_throughput").GetDouble());
        Assert.True(slices[0].TryGetProperty("p99_tpot_ms", out _));
        Assert.Equal(0, slices[1].GetProperty("completed").GetInt32());
        Assert.False(JsonDocument.Parse(plain.ToArray()).RootElement.GetProperty("llmbench").TryGetProperty("timeslices", out _));
    }

    [Fact]
    public void A_non_positive_window_is_refused() =>
        Assert.Throws<ArgumentException>(() => TimeSlices.Compute(SampleRuns.FourRequests(), 0, 2, [99]));
}
