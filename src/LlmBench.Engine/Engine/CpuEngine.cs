using LlmBench.Engine.Cpu;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine;

/// <summary>Builds an <see cref="LlmEngine"/> on the CPU backend, sizing its KV cache from host memory.</summary>
public static class CpuEngine
{
    /// <summary>
    /// Checks the weights fit in the memory available, loads them and allocates a KV cache big enough for MaxNumSeqs
    /// sequences of MaxModelLen tokens (the model's max_position_embeddings when unset), capped by
    /// --kv-cache-memory-bytes (default <see cref="DefaultKvCacheMemoryBytes"/>, from the memory available); MaxModelLen
    /// is then capped by what the cache holds.
    /// </summary>
    public static LlmEngine Create(ModelConfig model, ITensorSource weights, EngineOptions options,
        CpuWeightFormat format = CpuWeightFormat.Bf16)
    {
        var available = HostMemory.AvailableBytes();
        var weightBytes = CheckWeightsFit(model, available);
        var kvBudget = options.KvCacheMemoryBytes ?? DefaultKvCacheMemoryBytes(available - weightBytes);
        if (options.KvCacheMemoryBytes is { } asked && weightBytes + asked > available)
            throw new UserErrorException(
                $"--kv-cache-memory-bytes {asked} ({Gib(asked)}) and the weights ({Gib(weightBytes)}) need more than the {Gib(available)} of memory available; lower --kv-cache-memory-bytes.");
        var resolved = Resolve(model, options with { KvCacheMemoryBytes = kvBudget });
        double passTokens = Math.Min(CpuModelExecutor.MaxTokensPerPass, resolved.MaxNumBatchedTokens);
        if (passTokens * Math.Max(2.0 * model.IntermediateSize, (double)model.QSize + 2.0 * model.KvSize) > Array.MaxLength
            || 16.0 * model.VocabSize > Array.MaxLength)
            throw new UserErrorException(
                $"The CPU engine's activation buffers for {passTokens} tokens of this model (intermediate_size {model.IntermediateSize}, vocab_size {model.VocabSize}) exceed one array's {Array.MaxLength:N0} elements; these config values are out of range.");
        var executor = new CpuModelExecutor(model, weights, resolved, format);
        return new LlmEngine(resolved, executor);
    }

    /// <summary>
    /// The KV cache's budget when --kv-cache-memory-bytes is not given, from the memory left after the weights: half of
    /// it, at least <see cref="EngineOptions.DefaultCpuKvCacheMemoryBytes"/> (the old fixed size), at most
    /// <see cref="MaxDefaultKvCacheMemoryBytes"/>. Resolve then allocates only what MaxNumSeqs × MaxModelLen needs.
    /// </summary>
    public static long DefaultKvCacheMemoryBytes(long bytesLeftAfterWeights) =>
        Math.Clamp(bytesLeftAfterWeights / 2, EngineOptions.DefaultCpuKvCacheMemoryBytes, MaxDefaultKvCacheMemoryBytes);

    /// <summary>The most the CPU KV cache takes by default (vLLM's CPU backend takes a fixed 4 GiB unless told).</summary>
    public const long MaxDefaultKvCacheMemoryBytes = 8L << 30;

    /// <summary>
    /// The weights' bytes (at least two per parameter, in 64-bit arithmetic; four per decoder-layer linear weight of an fp8
    /// checkpoint, which is dequantized to fp32), checked against the memory available before anything is allocated: a
    /// model that cannot fit gets one sentence, not minutes of allocation and an OutOfMemoryException.
    /// </summary>
    public static long CheckWeightsFit(ModelConfig model, long availableBytes)
    {
        var bytes = ModelFootprint.ParameterCount(model) * 2 + (model.Quantization is null ? 0 : ModelFootprint.LayerLinearParameterCount(model) * 2);
        if (bytes > availableBytes)
            throw new UserErrorException(
                $"This model needs at least {Gib(bytes)} of memory for its weights ({ModelFootprint.ParameterCount(model):N0} parameters in {model.NumHiddenLayers} layers), " +
                $"but only {Gib(availableBytes)} is available; check num_hidden_layers, hidden_size, intermediate_size and vocab_size in its config.json.");
        return (long)bytes;
    }

    private static string Gib(double bytes) => $"{bytes / (1L << 30):0.0} GiB";

    /// <summary>The options a CPU engine would run with: KV blocks and model length fixed for <paramref name="model"/>.</summary>
    public static EngineOptions Resolve(ModelConfig model, EngineOptions options)
    {
        options = options.Validate().ForCheckpoint(model, backendRunsFp8: false); // an fp8 checkpoint is dequantized to fp32
        if (options.KvCacheDtype.IsFp8())
            throw new UserErrorException("--kv-cache-dtype fp8 runs on the CUDA engine only (a GPU of compute capability 8.9 or newer); the CPU engine keeps its cache in fp32.");
        if (options.Quantization != WeightQuantization.None)
            throw new UserErrorException("--quantization fp8 runs on the CUDA engine only (a GPU of compute capability 8.9 or newer); the CPU engine keeps the weights in bf16.");
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
