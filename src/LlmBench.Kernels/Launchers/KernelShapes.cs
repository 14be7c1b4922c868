namespace LlmBench.Kernels;

/// <summary>
/// The model dimensions the kernels are specialized for (each becomes a -D macro, so loops unroll and vectors are
/// sized at compile time). Kept free of Engine types so that this layer depends only on LlmBench.Gpu.
/// </summary>
public sealed record KernelShapes
{
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumQHeads { get; init; }
    public required int NumKvHeads { get; init; }
    public required int HeadDim { get; init; }
    /// <summary>Tokens per paged KV cache block.</summary>
    public required int BlockSize { get; init; }
    /// <summary>Qwen3's per-head q/k RMSNorm before RoPE.</summary>
    public bool QkNorm { get; init; }
    /// <summary>Qwen2's q/k/v biases, added in the RoPE kernel.</summary>
    public bool QkvBias { get; init; }
    /// <summary>The KV cache stores fp8 e4m3 with per-tensor scales instead of bf16 (KV_FP8; compute capability 8.9+).</summary>
    public bool KvCacheFp8 { get; init; }

    /// <summary>The decoder layers' linear weights are fp8 e4m3 with per-row scales (compute capability 8.9+).</summary>
    public bool WeightsFp8 { get; init; }

    /// <summary>Also compile the o_proj and down_proj GEMVs that end with the next residual add and RMSNorm
    /// (<see cref="GemvKernels.ThenNormWidth"/>).</summary>
    public bool NormsAfterGemv { get; init; }

    /// <summary>Also compile decode attention that merges its partials in its own launch (<see cref="DecodeAttentionKernels.Merges"/>).</summary>
    public bool MergeAttentionInLastCta { get; init; }

    /// <summary>Also compile the sampler that spreads a row over many CTAs (<see cref="SamplingKernel.Splits"/>).</summary>
    public bool SplitSampling { get; init; }

    /// <summary>Bytes of one cached K or V element.</summary>
    public int KvCacheElementBytes => KvCacheFp8 ? 1 : 2;

    public int QkvWidth => (NumQHeads + 2 * NumKvHeads) * HeadDim;
    public int QWidth => NumQHeads * HeadDim;

    /// <summary>Throws <see cref="ArgumentException"/> for dimensions no kernel supports, naming the value.</summary>
    public KernelShapes Validate()
    {
        if (HeadDim is not (32 or 64 or 128))
            throw new ArgumentException($"the GPU kernels support head_dim 32, 64 or 128, not {HeadDim}.");
        if (NumKvHeads < 1 || NumQHeads % NumKvHeads != 0 || NumQHeads / NumKvHeads > 8)
            throw new ArgumentException($"the GPU kernels need query heads a multiple (1 to 8) of KV heads, not {NumQHeads} / {NumKvHeads}.");
        if (HiddenSize % 8 != 0 || IntermediateSize % 8 != 0)
            throw new ArgumentException($"the GPU kernels need hidden ({HiddenSize}) and intermediate ({IntermediateSize}) sizes divisible by 8.");
        if (BlockSize % (256 / HeadDim) != 0)
            throw new ArgumentException($"the decode kernel needs a block size divisible by {256 / HeadDim} at head_dim {HeadDim}, not {BlockSize}.");
        return this;
    }

    internal string[] AttentionDefines() =>
        [Define("HEAD_DIM", HeadDim), Define("NUM_Q_HEADS", NumQHeads), Define("NUM_KV_HEADS", NumKvHeads), Define("BLOCK_SIZE", BlockSize),
            Define("KV_FP8", KvCacheFp8 ? 1 : 0)];

    internal static string Define(string name, int value) => $"-D{name}={value}";
}
