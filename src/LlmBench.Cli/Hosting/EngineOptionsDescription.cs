using System.Globalization;
using LlmBench.Engine;

namespace LlmBench.Cli;

/// <summary>An engine's options as result files list them: what was asked, with what the engine resolved (model length, KV blocks).</summary>
internal static class EngineOptionsDescription
{
    public static IReadOnlyDictionary<string, string> Of(EngineSpec spec, OpenedEngine opened) =>
        Of(spec, opened.Engine.MaxModelLength, opened.Engine is LlmEngine { Options.NumKvBlocks: { } blocks } ? blocks : null);

    /// <param name="maxModelLen">The model length the engine settled on.</param>
    /// <param name="kvCacheBlocks">The KV blocks it allocated, where known.</param>
    public static IReadOnlyDictionary<string, string> Of(EngineSpec spec, int maxModelLen, int? kvCacheBlocks)
    {
        var o = spec.Options;
        string S(double v) => v.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>
        {
            ["model"] = spec.Model,
            ["device"] = spec.Device,
            ["load_format"] = spec.Format.ToString().ToLowerInvariant(),
            ["max_num_seqs"] = S(o.MaxNumSeqs),
            ["max_num_batched_tokens"] = S(o.MaxNumBatchedTokens),
            ["max_model_len"] = S(maxModelLen),
            ["block_size"] = S(o.BlockSize),
            ["gpu_memory_utilization"] = S(o.GpuMemoryUtilization),
            ["enforce_eager"] = o.EnforceEager ? "true" : "false",
            ["kv_cache_dtype"] = o.KvCacheDtype.DisplayName(),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        };
        if (o.CalculateKvScales)
            values["calculate_kv_scales"] = "true";
        if (o.Quantization.DisplayName() is { } quantization)
            values["quantization"] = quantization;
        if (kvCacheBlocks is { } blocks)
            values["kv_cache_blocks"] = S(blocks);
        return values;
    }
}
