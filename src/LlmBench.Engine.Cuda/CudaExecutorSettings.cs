using LlmBench.Gpu.Compilation;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>Backend knobs of the CUDA executor that are not engine options (those are <see cref="EngineOptions"/>).</summary>
public sealed record CudaExecutorSettings
{
    /// <summary>Where compiled kernels are cached; null uses the default cache directory.</summary>
    public CubinCache? KernelCache { get; init; }

    /// <summary>Lets the engine launch step N+1 before reading step N back (see <see cref="IModelExecutor.Launch"/>).</summary>
    public bool Overlap { get; init; } = true;

    /// <summary>
    /// Times cuBLASLt's candidates for the decode-size GEMMs at start-up (about 4 s). Off by default: on the H100
    /// the kernels it picked in isolation made the batch-1 decode step slower (1.42 vs 1.24 ms).
    /// </summary>
    public bool AutotuneGemms { get; init; }

    /// <summary>Most partitions decode attention splits a context into (flash-decoding); small batches use up to this many.</summary>
    public int MaxDecodeSplits { get; init; } = 64;

    /// <summary>
    /// Token counts up to which the linear layers and the LM head run our GEMV kernels (every SM streaming the
    /// weights) instead of cuBLASLt; 0 uses cuBLASLt everywhere. At most <see cref="GemvKernels.MaxTokens"/>.
    /// </summary>
    public int GemvMaxTokens
    {
        get;
        init
        {
            if (value < 0 || value > GemvKernels.MaxTokens)
                throw new ArgumentOutOfRangeException(nameof(GemvMaxTokens), $"the GEMV path serves 0 to {GemvKernels.MaxTokens} tokens, not {value}.");
            field = value;
        }
    } = GemvKernels.MaxTokens;

    /// <summary>
    /// On Hopper and later, steps on the GEMV path launch their kernels with programmatic dependent launch, so each
    /// kernel's launch and weight loads overlap the previous kernel's tail.
    /// </summary>
    public bool ProgrammaticLaunch { get; init; } = true;

    /// <summary>
    /// On the GEMV path, fold each residual add + RMSNorm into the GEMV that reads its output (gemv.cu's gemv_norm_*):
    /// two launches fewer per layer, the same values bit for bit. Off until it is measured on a GPU
    /// (dev/engine-check --fuse-norms times it against the default).
    /// </summary>
    public bool FuseNormsIntoGemv { get; init; }

    /// <summary>
    /// On the GEMV path, end the o_proj and down_proj GEMVs with the residual add + RMSNorm that follows them, done by the
    /// launch's last CTA (gemv.cu's gemv_then_norm_*): the separate norm kernels go, 2 launches fewer per layer (1 in the
    /// last), the same values bit for bit. Unlike <see cref="FuseNormsIntoGemv"/> no CTA recomputes the norm. Off until
    /// it is measured on a GPU (dev/engine-check --norms-after times it against the default); when both are set, this wins.
    /// </summary>
    public bool NormsAfterGemv { get; init; }

    /// <summary>
    /// Merge split decode attention's partials in the attention launch itself, by the partition of each (sequence, kv
    /// head) that finishes last (decode_attention_merging), instead of a second kernel: one launch fewer per layer
    /// whenever the context is split, the same values bit for bit. Off until it is measured on a GPU
    /// (dev/engine-check --merge-in-attention).
    /// </summary>
    public bool MergeAttentionInLastCta { get; init; }

    /// <summary>
    /// Sample each row over many SMs (sampling.cu's sample_tokens_split: the row cut into chunks, the chunk that finishes
    /// last picking the token from their partials) instead of one 1,024-thread CTA per row: the same tokens and logits bit
    /// for bit; rows with top-k or top-p are still sampled whole. Off until it is measured on a GPU
    /// (dev/engine-check --split-sampling).
    /// </summary>
    public bool SplitSampling { get; init; }

    /// <summary>
    /// With fp8 layer weights, how steps above the GEMV sizes multiply (prefill, large batches). Dequantize (bf16
    /// GEMMs, the path measured on a GPU) until the fp8 × fp8 cuBLASLt path has passed its GPU tests and been timed
    /// against it; dev/engine-check --fp8-gemm opts in. Where cuBLASLt has no vector-scaled fp8 kernel, Fp8 falls back
    /// to Dequantize (<see cref="CudaModelExecutor.Fp8Gemm"/> says which ran).
    /// </summary>
    public Fp8LargeStepGemm Fp8Gemm { get; init; } = Fp8LargeStepGemm.Dequantize;

    public static CudaExecutorSettings Default { get; } = new();
}
