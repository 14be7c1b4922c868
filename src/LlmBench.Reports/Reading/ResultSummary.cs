using System.Text.Json.Nodes;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Reading;

/// <summary>
/// One result reduced to the figures a comparison and a cost estimate need, whatever its kind. Null where the file
/// does not have the figure (no NVML: no energy; CPU: no floor).
/// </summary>
/// <param name="Workload">The fields that make two results the same workload, in the order a refusal names them.</param>
/// <param name="GpuCount">GPUs the result used (run: one per engine); what an hourly price per GPU is multiplied by.</param>
/// <param name="MeanPowerWatts">Mean board power summed over the GPUs, from GPU health.</param>
public sealed record ResultSummary(
    string Label,
    string Kind,
    string? Model,
    string? Gpu,
    int GpuCount,
    string ThroughputName,
    double? OutputTokensPerSecond,
    double? TtftP50Ms,
    double? TtftP99Ms,
    double? TpotP50Ms,
    double? TpotP99Ms,
    double? JoulesPerOutputToken,
    double? MeanPowerWatts,
    double? FractionOfFloor,
    IReadOnlyList<KeyValuePair<string, string>> Workload)
{
    /// <summary>
    /// What the engine stored, from the saved engine options: "KV bf16" or "KV fp8_e4m3" (weights are bf16 unless the
    /// options name a quantization). Null where the file has no engine options (bench serve, other frameworks).
    /// </summary>
    public string? Dtypes { get; init; }

    /// <summary>Output tok/s per watt of mean board power.</summary>
    public double? TokensPerSecondPerWatt => OutputTokensPerSecond is { } t && MeanPowerWatts is > 0 and var w ? t / w : null;

    public static ResultSummary From(ResultDocument d) => (d.Kind switch
    {
        ResultKinds.Run => Run(d),
        ResultKinds.Throughput => Throughput(d),
        ResultKinds.Serve => Serve(d),
        ResultKinds.Sweep => Sweep(d),
        _ => Latency(d),
    }) with { Dtypes = DtypesOf(d) };

    /// <summary>"weights bf16, KV fp8_e4m3" from configuration.engine_options (kv_cache_dtype, quantization).</summary>
    public static string? DtypesOf(ResultDocument d)
    {
        var options = Json.Object(d.Configuration, "engine_options");
        if (options is null)
            return null;
        var kv = Json.Text(options, "kv_cache_dtype");
        var weights = Json.Text(options, "quantization");
        if (kv is null && weights is null)
            return null;
        return $"weights {(weights is null or "none" ? "bf16" : weights)}, KV {kv ?? "bf16"}";
    }

    private static ResultSummary Run(ResultDocument d)
    {
        var r = d.Root;
        var engines = Json.Array(r, "engines").OfType<JsonObject>().ToList();
        var first = engines.FirstOrDefault();
        var energies = engines.Select(e => Json.Number(e, "gpu_health", "energy_j")).ToList();
        var tokens = Json.Number(r, "total_output_tokens");
        double? jPerToken = energies.Count > 0 && energies.All(e => e is not null) && tokens is > 0
            ? energies.Sum(e => e!.Value) / tokens.Value
            : engines.Count == 1 ? Json.Number(first, "joules_per_output_token") : null;
        var powers = engines.Select(e => Json.Number(e, "gpu_health", "mean_power_w")).ToList();
        var fractions = engines.Select(e => Json.Number(e, "memory_bandwidth_floor", "fraction_of_floor")).OfType<double>().ToList();
        return new ResultSummary(
            d.QualifiedName, d.Kind,
            Json.Text(r, "model", "name") ?? Json.Text(r, "model_id"),
            Json.Text(r, "platform", "gpu_name") ?? Json.Text(r, "platform", "device"),
            Math.Max(1, engines.Count),
            "score (output tok/s)",
            Json.Number(r, "score_output_tokens_per_s"),
            Json.Number(first, "median_ttft_ms"), Json.Number(first, "p99_ttft_ms"),
            Json.Number(first, "median_tpot_ms"), Json.Number(first, "p99_tpot_ms"),
            jPerToken,
            powers.Count > 0 && powers.All(p => p is not null) ? powers.Sum(p => p!.Value) : null,
            fractions.Count > 0 ? fractions.Average() : null,
            [
                new("model", Json.Text(r, "model", "name") ?? "?"),
                new("workload", Json.Text(r, "workload", "name") ?? "?"),
                new("workload description", Json.Text(r, "workload", "description") ?? "?"),
                new("requests in flight per engine", Json.Text(first, "concurrency_target") ?? "?"),
            ]);
    }

    private static ResultSummary Throughput(ResultDocument d)
    {
        var r = d.Root;
        var own = d.Own;
        return new ResultSummary(
            d.QualifiedName, d.Kind,
            Json.Text(own, "model", "name") ?? Json.Text(r, "model_id"),
            Json.Text(own, "platform", "gpu_name") ?? Json.Text(own, "platform", "device"),
            1,
            "output tok/s",
            Json.Number(r, "output_throughput"),
            Json.Number(r, "median_ttft_ms"), Json.Number(r, "p99_ttft_ms"),
            Json.Number(r, "median_tpot_ms"), Json.Number(r, "p99_tpot_ms"),
            null, null,
            Json.Number(own, "memory_bandwidth_floor", "fraction_of_floor"),
            [
                new("model", Json.Text(own, "model", "name") ?? Json.Text(r, "model_id") ?? "?"),
                new("workload", Json.Text(own, "workload", "name") ?? "?"),
                new("workload description", Json.Text(own, "workload", "description") ?? "?"),
                new("num requests", Json.Text(r, "num_requests") ?? "?"),
            ]);
    }

    private static ResultSummary Serve(ResultDocument d)
    {
        var r = d.Root;
        var own = d.Own;
        var gpus = Json.Array(own, "gpu_telemetry", "gpus").OfType<JsonObject>().ToList();
        var powers = gpus.Select(g => Json.Number(g, "mean_power_w")).ToList();
        var workload = new List<KeyValuePair<string, string>>
        {
            new("model", Json.Text(r, "model_id") ?? "?"),
            new("dataset", Json.Text(own, "dataset_name") ?? "?"),
            new("num prompts", Json.Text(r, "num_prompts") ?? "?"),
            new("max concurrency", Json.Text(r, "max_concurrency") ?? "none"),
            new("request rate", Json.Text(r, "request_rate") ?? "?"),
        };
        workload.AddRange(WorkloadFlags(d));
        return new ResultSummary(
            d.QualifiedName, d.Kind,
            Json.Text(r, "model_id"),
            gpus.Count > 0 ? Json.Text(gpus[0], "name") : Json.Text(r, "gpu"),
            Math.Max(1, gpus.Count),
            "output tok/s",
            Json.Number(r, "output_throughput"),
            Json.Number(r, "median_ttft_ms"), Json.Number(r, "p99_ttft_ms"),
            Json.Number(r, "median_tpot_ms"), Json.Number(r, "p99_tpot_ms"),
            Json.Number(own, "gpu_telemetry", "joules_per_output_token"),
            powers.Count > 0 && powers.All(p => p is not null) ? powers.Sum(p => p!.Value) : null,
            null,
            workload);
    }

    /// <summary>A sweep is summarised by its best "ok" point (the highest output tok/s).</summary>
    private static ResultSummary Sweep(ResultDocument d)
    {
        var r = d.Root;
        var ok = Json.Array(r, "points").OfType<JsonObject>().Where(p => Json.Text(p, "status") == "ok").ToList();
        var best = ok.MaxBy(p => Json.Number(p, "output_throughput") ?? double.MinValue);
        string Set(string key) => string.Join(",", Json.Array(r, "points").OfType<JsonObject>().Select(p => Json.Number(p, key)).OfType<double>().Distinct().Order()
            .Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ResultSummary(
            d.QualifiedName, d.Kind,
            ModelName(r),
            Json.Text(r, "platform", "gpu_name") ?? Json.Text(r, "platform", "device"),
            1,
            "best output tok/s",
            Json.Number(best, "output_throughput"),
            Json.Number(best, "mean_ttft_ms"), Json.Number(best, "p99_ttft_ms"),
            Json.Number(best, "mean_tpot_ms"), Json.Number(best, "p99_tpot_ms"),
            null, null,
            Json.Number(best, "fraction_of_floor"),
            [
                new("model", ModelName(r) ?? "?"),
                new("input lengths", Set("input_len")),
                new("output lengths", Set("output_len")),
                new("batch sizes", Set("batch_size")),
            ]);
    }

    private static ResultSummary Latency(ResultDocument d)
    {
        var r = d.Root;
        return new ResultSummary(
            d.QualifiedName, d.Kind,
            ModelName(r),
            Json.Text(r, "platform", "gpu_name") ?? Json.Text(r, "platform", "device"),
            1,
            "output tok/s",
            Json.Number(r, "output_throughput"),
            Json.Number(r, "median_ttft_ms"), Json.Number(r, "p99_ttft_ms"),
            Json.Number(r, "median_tpot_ms"), Json.Number(r, "p99_tpot_ms"),
            null, null,
            Json.Number(r, "fraction_of_floor") ?? Json.Number(r, "memory_bandwidth_floor", "fraction_of_floor"),
            [
                new("model", ModelName(r) ?? "?"),
                new("input length", Json.Text(r, "input_len") ?? "?"),
                new("output length", Json.Text(r, "output_len") ?? "?"),
                new("batch size", Json.Text(r, "batch_size") ?? "?"),
            ]);
    }

    private static string? ModelName(JsonObject r) => Json.Text(r, "model", "name") ?? Json.Text(r, "model") ?? Json.Text(r, "model_id");

    /// <summary>bench serve's length and dataset flags from the saved command line (--random-input-len 1024 …).</summary>
    private static IEnumerable<KeyValuePair<string, string>> WorkloadFlags(ResultDocument d)
    {
        var argv = Json.Array(d.Configuration, "command_line").Select(n => n?.GetValue<string>() ?? "").ToList();
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                continue;
            var (name, value) = arg.Contains('=', StringComparison.Ordinal)
                ? (arg[..arg.IndexOf('=', StringComparison.Ordinal)], arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..])
                : (arg, i + 1 < argv.Count ? argv[i + 1] : "");
            if (name.EndsWith("-input-len", StringComparison.Ordinal) || name.EndsWith("-output-len", StringComparison.Ordinal)
                || name.EndsWith("-range-ratio", StringComparison.Ordinal) || name == "--dataset-path" || name.EndsWith("-prefix-len", StringComparison.Ordinal))
                yield return new(name, value);
        }
    }
}
