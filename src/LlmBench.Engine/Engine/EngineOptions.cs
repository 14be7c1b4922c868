using LlmBench.Engine.Models;

namespace LlmBench.Engine;

/// <summary>
/// The engine's knobs, named as vLLM names them so that flags carry over. Immutable; <see cref="Validate"/>
/// checks what a person typed, and a backend calls <see cref="ResolveFor"/> once it knows how many KV blocks
/// its memory holds, which fills in <see cref="NumKvBlocks"/> and <see cref="MaxModelLen"/>.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>--max-num-seqs: sequences running at once.</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>--max-num-batched-tokens: tokens processed per step (decodes plus prefill chunks).</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    /// <summary>--max-model-len: prompt plus output tokens per sequence; null takes the model's max_position_embeddings,
    /// capped by what the KV cache holds.</summary>
    public int? MaxModelLen { get; init; }

    /// <summary>--block-size: tokens per KV cache block.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>KV cache blocks; null until the backend sizes the cache from its memory.</summary>
    public int? NumKvBlocks { get; init; }

    /// <summary>--enforce-eager: GPU only (no CUDA graphs); carried so that one record serves every backend.</summary>
    public bool EnforceEager { get; init; }

    /// <summary>--gpu-memory-utilization: share of GPU memory the engine may use, in (0, 1].</summary>
    public double GpuMemoryUtilization { get; init; } = 0.9;

    /// <summary>--kv-cache-memory-bytes: the KV cache's memory budget; null lets the backend choose
    /// (the CPU backend uses <see cref="DefaultCpuKvCacheMemoryBytes"/>).</summary>
    public long? KvCacheMemoryBytes { get; init; }

    /// <summary>--kv-cache-dtype: bf16 (auto) or fp8 e4m3 (GPU only, compute capability 8.9+).</summary>
    public KvCacheDtype KvCacheDtype { get; init; }

    /// <summary>--calculate-kv-scales: with an fp8 cache, set each layer's K and V scales from the first prefill
    /// (largest |k|, |v| over 448) instead of 1.0.</summary>
    public bool CalculateKvScales { get; init; }

    /// <summary>--quantization: fp8 stores the decoder layers' linear weights in e4m3 with per-row scales (GPU only,
    /// compute capability 8.9+); auto (not given) is fp8 for an fp8 checkpoint where the backend runs it, else none.
    /// Backends resolve auto before anything else (<see cref="ForCheckpoint"/>), so resolved options never say auto.</summary>
    public WeightQuantization Quantization { get; init; } = WeightQuantization.Auto;

    /// <summary>--seed: seeds the generators of requests that bring no seed of their own.</summary>
    public ulong Seed { get; init; }

    public const long DefaultCpuKvCacheMemoryBytes = 1L << 30;

    /// <summary>Throws <see cref="UserErrorException"/> naming the first bad value and the flag to change.</summary>
    public EngineOptions Validate()
    {
        if (MaxNumSeqs < 1)
            throw new UserErrorException($"--max-num-seqs must be at least 1, got {MaxNumSeqs}.");
        if (MaxNumBatchedTokens < 1)
            throw new UserErrorException($"--max-num-batched-tokens must be at least 1, got {MaxNumBatchedTokens}.");
        // Fewer tokens per step than sequences would leave the newest decodes waiting forever.
        if (MaxNumBatchedTokens < MaxNumSeqs)
            throw new UserErrorException(
                $"--max-num-batched-tokens ({MaxNumBatchedTokens}) must be at least --max-num-seqs ({MaxNumSeqs}).");
        if (MaxModelLen is < 2)
            throw new UserErrorException($"--max-model-len must be at least 2 (one prompt and one output token), got {MaxModelLen}.");
        if (BlockSize < 1 || BlockSize > 1024)
            throw new UserErrorException($"--block-size must be between 1 and 1024, got {BlockSize}.");
        if (NumKvBlocks is < 1)
            throw new UserErrorException($"the KV cache needs at least one block, got {NumKvBlocks}.");
        if (double.IsNaN(GpuMemoryUtilization) || GpuMemoryUtilization <= 0 || GpuMemoryUtilization > 1)
            throw new UserErrorException($"--gpu-memory-utilization must be in (0, 1], got {GpuMemoryUtilization}.");
        if (KvCacheMemoryBytes is <= 0)
            throw new UserErrorException($"--kv-cache-memory-bytes must be positive, got {KvCacheMemoryBytes}.");
        if (CalculateKvScales && !KvCacheDtype.IsFp8())
            throw new UserErrorException("--calculate-kv-scales sets the scales of an fp8 KV cache; add --kv-cache-dtype fp8 or drop it.");
        return this;
    }

    /// <summary>
    /// Fixes <see cref="NumKvBlocks"/> and <see cref="MaxModelLen"/> for <paramref name="model"/> on a cache of
    /// <paramref name="numKvBlocks"/> blocks. A --max-model-len the model or the cache cannot hold is a user error.
    /// </summary>
    public EngineOptions ResolveFor(ModelConfig model, int numKvBlocks)
    {
        Validate();
        if (numKvBlocks < 1)
            throw new UserErrorException(
                "the KV cache memory budget holds not even one block; raise --kv-cache-memory-bytes or --gpu-memory-utilization.");
        long cacheTokens = (long)numKvBlocks * BlockSize;
        int modelMax = model.MaxPositionEmbeddings;
        if (MaxModelLen is { } asked)
        {
            if (asked > modelMax)
                throw new UserErrorException(
                    $"--max-model-len {asked} exceeds the model's max_position_embeddings ({modelMax}); lower it.");
            if (asked > cacheTokens)
                throw new UserErrorException(
                    $"--max-model-len {asked} needs {CeilDiv(asked, BlockSize)} KV blocks but the cache holds {numKvBlocks} " +
                    $"({cacheTokens} tokens); lower --max-model-len or give the KV cache more memory.");
        }
        int resolvedLen = MaxModelLen ?? (int)Math.Min(modelMax, cacheTokens);
        if (resolvedLen < 2)
            throw new UserErrorException(
                $"the KV cache holds only {cacheTokens} tokens, too few for one sequence; give the KV cache more memory.");
        // A backend that runs fp8 weights has resolved auto already (ForCheckpoint); what is left runs dequantized.
        return (this with { NumKvBlocks = numKvBlocks, MaxModelLen = resolvedLen, Quantization = Quantization.ForCheckpoint(model, backendRunsFp8: false) }).Validate();
    }

    /// <summary>These options with --quantization auto decided for <paramref name="model"/> on a backend that does or does not run fp8 weights.</summary>
    public EngineOptions ForCheckpoint(ModelConfig model, bool backendRunsFp8) =>
        this with { Quantization = Quantization.ForCheckpoint(model, backendRunsFp8) };

    /// <summary>True once a backend has called <see cref="ResolveFor"/>.</summary>
    public bool IsResolved => NumKvBlocks is not null && MaxModelLen is not null;

    internal static int CeilDiv(long value, int divisor) => (int)((value + divisor - 1) / divisor);
}
