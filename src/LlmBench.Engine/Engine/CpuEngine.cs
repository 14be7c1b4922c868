using LlmBench.Engine.Cpu;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine;

/// <summary>Builds an <see cref="LlmEngine"/> on the CPU backend, sizing its KV cache from host memory.</summary>
public static class CpuEngine
{
    /// <summary>
    /// Loads the weights and allocates a KV cache big enough for MaxNumSeqs sequences of MaxModelLen tokens (the
    /// model's max_position_embeddings when unset), capped by --kv-cache-memory-bytes (default
    /// <see cref="EngineOptions.DefaultCpuKvCacheMemoryBytes"/>); MaxModelLen is then capped by what the cache holds.
    /// </summary>
    public static LlmEngine Create(ModelConfig model, ITensorSource weights, EngineOptions options,
        CpuWeightFormat format = CpuWeightFormat.Bf16)
    {
        var resolved = Resolve(model, options);
        var executor = new CpuModelExecutor(model, weights, resolved, format);
        return new LlmEngine(resolved, executor);
    }

    /// <summary>The options a CPU engine would run with: KV blocks and model length fixed for <paramref name="model"/>.</summary>
    public static EngineOptions Resolve(ModelConfig model, EngineOptions options)
    {
        options.Validate();
        long bytesPerBlock = PagedKvCache.BytesPerBlock(model.NumHiddenLayers, options.BlockSize, model.NumKeyValueHeads, model.HeadDim);
        long budgetBytes = options.KvCacheMemoryBytes ?? EngineOptions.DefaultCpuKvCacheMemoryBytes;
        int modelLen = options.MaxModelLen ?? model.MaxPositionEmbeddings;
        long wantedBlocks = (long)options.MaxNumSeqs * EngineOptions.CeilDiv(modelLen, options.BlockSize);
        long blocks = Math.Min(wantedBlocks, budgetBytes / bytesPerBlock);
        // One CPU array per layer holds each of K and V.
        long maxBlocksPerArray = Array.MaxLength / ((long)options.BlockSize * model.KvSize);
        return options.ResolveFor(model, (int)Math.Min(blocks, maxBlocksPerArray));
    }
}
