using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// gemv.cu: a linear layer for at most <see cref="MaxTokens"/> tokens (decode batches), y = x · wᵀ in bf16 with fp32
/// accumulation, streaming the weights with every SM; optionally SwiGLU straight from the fused gate/up weight.
/// One family per in-feature count.
/// </summary>
public sealed class GemvKernels : KernelFamily
{
    /// <summary>The most tokens one launch serves.</summary>
    public const int MaxTokens = 8;

    private const int Threads = 128;
    private static readonly int[] RowsPerBlockChoices = [1, 2, 4];
    private static readonly int[] TokenTiers = [1, 2, 4, 8];
    private readonly Dictionary<(bool SwiGlu, int Rows, int Tokens), CudaKernel> _kernels = [];

    /// <param name="inFeatures">K, a multiple of 8.</param>
    /// <param name="swiGlu">Also compile <see cref="RunSwiGlu"/>.</param>
    public GemvKernels(KernelCompiler compiler, int inFeatures, bool swiGlu = false)
        : base(compiler, "gemv.cu", Defines(inFeatures, swiGlu))
    {
        InFeatures = inFeatures;
        HasSwiGlu = swiGlu;
        foreach (var rows in RowsPerBlockChoices)
        {
            foreach (var tier in TokenTiers)
            {
                _kernels[(false, rows, tier)] = Kernel($"gemv_r{rows}_m{tier}");
                if (swiGlu)
                    _kernels[(true, rows, tier)] = Kernel($"gemv_swiglu_r{rows}_m{tier}");
            }
        }
    }

    private static string[] Defines(int inFeatures, bool swiGlu)
    {
        if (inFeatures <= 0 || inFeatures % 8 != 0)
            throw new ArgumentException($"the GEMV kernel needs in features divisible by 8, not {inFeatures}.", nameof(inFeatures));
        return [KernelShapes.Define("GEMV_K", inFeatures), KernelShapes.Define("GEMV_THREADS", Threads), KernelShapes.Define("GEMV_SWIGLU", swiGlu ? 1 : 0)];
    }

    public int InFeatures { get; }

    public bool HasSwiGlu { get; }

    /// <summary>
    /// Output rows per CTA. Measured on an H100 for Qwen3-0.6B's layers (1,024 to 151,936 rows): two rows are as fast
    /// as any choice up to 4 tokens; at 8 tokens four rows share each x load over more weights and win by 5–15 %.
    /// </summary>
    public static int ChooseRowsPerBlock(int tokens) => tokens > 4 ? 4 : 2;

    /// <summary>output[t, n] = Σ_k input[t, k] · weight[n, k] for t &lt; tokens, n &lt; outFeatures.</summary>
    /// <param name="weight">bf16 [outFeatures, InFeatures].</param>
    /// <param name="input">bf16 [tokens, InFeatures].</param>
    /// <param name="output">bf16 [tokens, outFeatures].</param>
    /// <param name="rowsPerBlock">1, 2 or 4; 0 picks with <see cref="ChooseRowsPerBlock"/>.</param>
    public void Run(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output,
        int outFeatures, int tokens, int rowsPerBlock = 0)
    {
        Launch.RequireAtLeast(nameof(weight), weight.Length, (long)outFeatures * InFeatures);
        LaunchChecked(stream, swiGlu: false, weight, input, output, outFeatures, tokens, rowsPerBlock);
    }

    /// <summary>
    /// output[t, n] = bf16(bf16(silu(g)) · u) with g = bf16(input[t] · weight[n]) and u = bf16(input[t] · weight[outFeatures + n]):
    /// the fused gate/up product and silu_mul.cu in one pass, equal to running them one after the other.
    /// </summary>
    /// <param name="weight">bf16 [2·outFeatures, InFeatures]: gate rows, then up rows.</param>
    public void RunSwiGlu(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output,
        int outFeatures, int tokens, int rowsPerBlock = 0)
    {
        if (!HasSwiGlu)
            throw new InvalidOperationException("this GEMV family was compiled without the SwiGLU kernels.");
        Launch.RequireAtLeast(nameof(weight), weight.Length, 2L * outFeatures * InFeatures);
        LaunchChecked(stream, swiGlu: true, weight, input, output, outFeatures, tokens, rowsPerBlock);
    }

    private static int TierFor(int tokens)
    {
        foreach (var tier in TokenTiers)
        {
            if (tier >= tokens)
                return tier;
        }
        return MaxTokens;
    }

    private void LaunchChecked(CudaStream stream, bool swiGlu, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input,
        DeviceSpan<BFloat16> output, int outFeatures, int tokens, int rowsPerBlock)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        if (tokens is < 0 or > MaxTokens)
            throw new ArgumentOutOfRangeException(nameof(tokens), $"the GEMV kernel serves 0 to {MaxTokens} tokens, not {tokens}.");
        if (tokens == 0)
            return;
        Launch.RequireAtLeast(nameof(input), input.Length, (long)tokens * InFeatures);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)tokens * outFeatures);
        int rows = rowsPerBlock == 0 ? ChooseRowsPerBlock(tokens) : rowsPerBlock;
        if (Array.IndexOf(RowsPerBlockChoices, rows) < 0)
            throw new ArgumentOutOfRangeException(nameof(rowsPerBlock), $"rows per block must be 1, 2 or 4, not {rows}.");
        _kernels[(swiGlu, rows, TierFor(tokens))].Launch(new LaunchConfig(Launch.CeilDiv(outFeatures, rows), Threads), stream,
            weight.Pointer, input.Pointer, output.Pointer, outFeatures, tokens);
    }
}
