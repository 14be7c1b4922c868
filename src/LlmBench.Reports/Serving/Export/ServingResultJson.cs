using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Serving.Export;

/// <summary>
/// The result JSON with `vllm bench serve`'s keys and order (date, backend, …, output_throughput,
/// mean_ttft_ms, p99_tpot_ms, …) so existing tooling reads it; our own figures (serving constraints,
/// the client self-check, where output token counts came from, the server's GPU telemetry as "gpu_telemetry",
/// null when there was none, the schema version and the configuration) sit under the single key "llmbench". Per-request detail goes to the JSONL file, not into this one.
/// </summary>
public static class ServingResultJson
{
    public static void Write(ServingResult result, Stream destination)
    {
        using var w = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var info = result.Info;
        var m = result.Metrics;
        w.WriteStartObject();
        w.WriteString("date", info.Date);
        w.WriteString("endpoint_type", info.Backend);
        w.WriteString("backend", info.Backend);
        WriteNullable(w, "label", info.Label);
        w.WriteString("model_id", info.ModelId);
        WriteNullable(w, "tokenizer_id", info.TokenizerId);
        w.WriteNumber("num_prompts", info.NumPrompts);
        foreach (var (key, value) in info.Metadata)
            w.WriteString(key, value);
        if (double.IsPositiveInfinity(info.RequestRate))
            w.WriteString("request_rate", "inf");
        else
            w.WriteNumber("request_rate", info.RequestRate);
        w.WriteNumber("burstiness", info.Burstiness);
        if (info.RampUp is { } ramp)
        {
            // vLLM writes these three only when a ramp was used.
            w.WriteString("ramp_up_strategy", ramp.Strategy);
            w.WriteNumber("ramp_up_start_rps", ramp.StartRps);
            w.WriteNumber("ramp_up_end_rps", ramp.EndRps);
        }

        if (info.MaxConcurrency is { } maxConcurrency)
            w.WriteNumber("max_concurrency", maxConcurrency);
        else
            w.WriteNull("max_concurrency");

        w.WriteNumber("duration", m.DurationSeconds);
        w.WriteNumber("completed", m.Completed);
        w.WriteNumber("failed", m.Failed);
        w.WriteNumber("total_input_tokens", m.TotalInputTokens);
        w.WriteNumber("total_output_tokens", m.TotalOutputTokens);
        w.WriteNumber("request_throughput", m.RequestThroughput);
        if (m.RequestGoodput is { } goodput)
            w.WriteNumber("request_goodput", goodput);
        else
            w.WriteNull("request_goodput");
        w.WriteNumber("output_throughput", m.OutputThroughput);
        w.WriteNumber("total_token_throughput", m.TotalTokenThroughput);
        w.WriteNumber("max_output_tokens_per_s", m.MaxOutputTokensPerSecond);
        w.WriteNumber("max_concurrent_requests", m.MaxConcurrentRequests);

        foreach (var metric in ServingMetricNames.All)
        {
            if (info.PercentileMetrics.Contains(metric.Key))
                WriteSummary(w, metric.Key, metric.Select(m));
        }

        if (info.SaveDetailed)
            WriteDetail(w, result.Records);
        WriteOwnKeys(w, result);
        w.WriteEndObject();
    }

    /// <summary>
    /// --save-detailed: vLLM's per-request arrays, one entry per request in send order, failed ones included (with 0
    /// output tokens, TTFT 0 and no gaps, as vLLM records them); times in seconds, start_times from the run's first send.
    /// </summary>
    private static void WriteDetail(Utf8JsonWriter w, IReadOnlyList<RequestRecord> records)
    {
        w.WriteStartArray("input_lens");
        foreach (var r in records)
            w.WriteNumberValue(r.PromptTokens);
        w.WriteEndArray();
        w.WriteStartArray("output_lens");
        foreach (var r in records)
            w.WriteNumberValue(r.Success ? r.OutputTokens : 0);
        w.WriteEndArray();
        w.WriteStartArray("ttfts");
        foreach (var r in records)
            w.WriteNumberValue(r.Success ? r.TtftMs / 1000.0 : 0);
        w.WriteEndArray();
        w.WriteStartArray("itls");
        foreach (var r in records)
        {
            w.WriteStartArray();
            foreach (var gap in r.ItlMs)
                w.WriteNumberValue(gap / 1000.0);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartArray("start_times");
        foreach (var r in records)
            w.WriteNumberValue(r.StartSeconds);
        w.WriteEndArray();
        w.WriteStartArray("generated_texts");
        foreach (var r in records)
            w.WriteStringValue(r.GeneratedText ?? "");
        w.WriteEndArray();
        w.WriteStartArray("errors");
        foreach (var r in records)
            w.WriteStringValue(r.Error ?? "");
        w.WriteEndArray();
    }

    private static void WriteSummary(Utf8JsonWriter w, string key, DistributionSummary summary)
    {
        w.WriteNumber($"mean_{key}_ms", summary.Mean);
        w.WriteNumber($"median_{key}_ms", summary.Median);
        w.WriteNumber($"std_{key}_ms", summary.StdDev);
        foreach (var p in summary.Percentiles)
            w.WriteNumber($"p{p.Label}_{key}_ms", p.Value);
    }

    private static void WriteOwnKeys(Utf8JsonWriter w, ServingResult result)
    {
        var m = result.Metrics;
        w.WriteStartObject("llmbench");
        w.WriteNumber("schema_version", ResultSchema.Version);
        w.WriteString("result_kind", ResultKinds.Serve);
        w.WriteString("version", result.Configuration.LlmBenchVersion);
        w.WritePropertyName("configuration");
        ConfigurationJson.Build(result.Configuration).WriteTo(w);
        w.WriteString("dataset_name", result.Info.DatasetName);
        w.WriteString("api_url", result.Info.ApiUrl);
        if (result.Info.DurationLimitSeconds is { } limit)
            w.WriteNumber("duration_limit_s", limit);
        // Written only when used, like duration_limit_s.
        if (result.Info.FixedSchedule)
            w.WriteBoolean("fixed_schedule", true);
        if (result.Info.MultiTurn)
            w.WriteBoolean("multi_turn", true);
        WriteLatencyBases(w, result);
        WriteTimeSlices(w, result);
        w.WriteString("output_tokens_source", m.RetokenizedRequests == 0 ? "usage" : "usage, re-tokenized where missing");
        w.WriteNumber("retokenized_requests", m.RetokenizedRequests);
        w.WriteStartObject("serving_constraints");
        foreach (var check in ServingConstraints.Evaluate(m))
        {
            w.WriteStartObject(check.Key);
            w.WriteString("limit", check.Limit);
            w.WriteNumber("measured", check.Measured);
            w.WriteBoolean("passed", check.Passed);
            w.WriteEndObject();
        }

        w.WriteBoolean("valid", ServingConstraints.AllPassed(m));
        w.WriteEndObject();
        var c = result.Client;
        w.WriteStartObject("client_self_check");
        w.WriteNumber("send_lag_p50_ms", c.SendLagP50Ms);
        w.WriteNumber("send_lag_p99_ms", c.SendLagP99Ms);
        w.WriteNumber("send_lag_max_ms", c.SendLagMaxMs);
        w.WriteNumber("cpu_utilization", c.CpuUtilization);
        w.WriteNumber("cpu_cores", c.CpuCores);
        w.WriteStartArray("warnings");
        foreach (var warning in c.Warnings)
            w.WriteStringValue(warning);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WritePropertyName("gpu_telemetry");
        if (GpuTelemetry(result) is { } telemetry)
            telemetry.WriteTo(w);
        else
            w.WriteNullValue();
        if (GpuTimeSeriesJson.Build(result.GpuTimeSeries) is { } series)
        {
            w.WritePropertyName(GpuTimeSeriesJson.Key);
            series.WriteTo(w);
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// --latency-from and both bases: the wait from scheduled to actual send, and TTFT/E2EL mean, median and P99 measured
    /// from the actual send ("latency_from_sent", vLLM's) and from the scheduled send ("latency_from_scheduled").
    /// </summary>
    private static void WriteLatencyBases(Utf8JsonWriter w, ServingResult result)
    {
        w.WriteString("latency_from", result.Info.LatencyFrom);
        double[] stats = [50, 99];
        var ok = result.Records.Where(r => r.Success).ToArray();
        var wait = DistributionSummary.Compute(result.Records.Select(r => r.SendWaitMs), stats);
        w.WriteStartObject("send_wait_ms");
        w.WriteNumber("mean", wait.Mean);
        w.WriteNumber("median", wait.Median);
        w.WriteNumber("p99", wait.ValueAt(99));
        w.WriteNumber("max", result.Records.Count == 0 ? 0 : result.Records.Max(r => r.SendWaitMs));
        w.WriteEndObject();
        foreach (var basis in LatencyBasis.All)
        {
            var records = LatencyBasis.Apply(ok, basis);
            w.WriteStartObject("latency_from_" + basis);
            foreach (var (key, values) in new[] { ("ttft", records.Select(r => r.TtftMs)), ("e2el", records.Select(r => r.E2elMs)) })
            {
                var s = DistributionSummary.Compute(values, stats);
                w.WriteNumber($"mean_{key}_ms", s.Mean);
                w.WriteNumber($"median_{key}_ms", s.Median);
                w.WriteNumber($"p99_{key}_ms", s.ValueAt(99));
            }

            w.WriteEndObject();
        }
    }

    /// <summary>--slice-duration: "timeslices" with the window length and one object per window; absent when the run was not sliced.</summary>
    private static void WriteTimeSlices(Utf8JsonWriter w, ServingResult result)
    {
        if (result.TimeSlices is not { } slices)
            return;
        w.WriteStartObject("timeslices");
        w.WriteNumber("slice_duration_s", result.Info.SliceDurationSeconds!.Value);
        w.WriteString("assigned_by", "request end (a failed request: its send)");
        w.WriteStartArray("slices");
        foreach (var s in slices)
        {
            w.WriteStartObject();
            w.WriteNumber("index", s.Index);
            w.WriteNumber("start_s", s.StartSeconds);
            w.WriteNumber("end_s", s.EndSeconds);
            w.WriteNumber("completed", s.Completed);
            w.WriteNumber("failed", s.Failed);
            w.WriteNumber("request_throughput", s.RequestThroughput);
            w.WriteNumber("output_throughput", s.OutputThroughput);
            WriteSummary(w, "ttft", s.TtftMs);
            WriteSummary(w, "tpot", s.TpotMs);
            WriteSummary(w, "itl", s.ItlMs);
            WriteSummary(w, "e2el", s.E2elMs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>All GPUs' energy and J per output token, then each GPU's health as `llmbench run` writes it, with its own J per output token.</summary>
    private static JsonObject? GpuTelemetry(ServingResult result)
    {
        if (result.GpuTelemetry is not { } gpus)
            return null;
        var entries = new JsonArray();
        foreach (var gpu in gpus)
        {
            var o = GpuHealthJson.Build(gpu);
            o["joules_per_output_token"] = result.JoulesPerOutputToken(gpu.EnergyJoules);
            entries.Add(o);
        }

        return new JsonObject
        {
            ["energy_j"] = result.GpuEnergyJoules,
            ["joules_per_output_token"] = result.GpuJoulesPerOutputToken,
            ["gpus"] = entries,
        };
    }

    private static void WriteNullable(Utf8JsonWriter w, string key, string? value)
    {
        if (value is null)
            w.WriteNull(key);
        else
            w.WriteString(key, value);
    }
}
