using System.Globalization;
using LlmBench.Engine;
using LlmBench.Engine.Models;

namespace LlmBench.Cli;

/// <summary>An engine's options as result files list them: what was asked, with what the engine resolved (model length, KV blocks).</summary>
internal static class EngineOptionsDescription
{
    public static IReadOnlyDictionary<string, string> Of(EngineSpec spec, OpenedEngine opened) =>
        Of(spec, opened.Engine.MaxModelLength, opened.Engine is LlmEngine { Options.NumKvBlocks: { } blocks } ? blocks : null,
            opened.Quantization, opened.Model.Config.Quantization);

    /// <param name="maxModelLen">The model length the engine settled on.</param>
    /// <param name="kvCacheBlocks">The KV blocks it allocated, where known.</param>
    /// <param name="quantization">The quantization the engine resolved (--quantization auto decided), where known.</param>
    /// <param name="checkpoint">The checkpoint's own quantization (an fp8 checkpoint), where it has one.</param>
    public static IReadOnlyDictionary<string, string> Of(EngineSpec spec, int maxModelLen, int? kvCacheBlocks,
        WeightQuantization? quantization = null, Fp8BlockQuantization? checkpoint = null)
    {
        var o = spec.Options with { Quantization = quantization ?? spec.Options.Quantization };
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
        if (o.Quantization.DisplayName() is { } name)
            values["quantization"] = name;
        if (checkpoint is not null)
        {
            // An fp8 checkpoint run without fp8 weights (--quantization none, or the CPU) says so: it ran dequantized.
            values["checkpoint_quantization"] = checkpoint.Description;
            values.TryAdd("quantization", "none");
        }
        if (kvCacheBlocks is { } blocks)
            values["kv_cache_blocks"] = S(blocks);
        return values;
    }
}
