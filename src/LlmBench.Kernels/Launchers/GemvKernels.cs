using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// gemv.cu: a linear layer for at most <see cref="MaxTokens"/> tokens (decode batches), y = x · wᵀ in bf16 with fp32
/// accumulation, streaming the weights with every SM; optionally SwiGLU straight from the fused gate/up weight, and
/// optionally with the residual add and RMSNorm that produce x fused in front (<see cref="RunNormed"/>).
/// One family per in-feature count.
/// </summary>
public sealed class GemvKernels : KernelFamily
{
    /// <summary>The most tokens one launch serves.</summary>
    public const int MaxTokens = 8;

    private const int Threads = 128;
    private static readonly int[] RowsPerBlockChoices = [1, 2, 4];
    private static readonly int[] TokenTiers = [1, 2, 4, 8];
    private readonly Dictionary<(bool SwiGlu, bool Norm, int Rows, int Tokens), CudaKernel> _kernels = [];

    /// <param name="inFeatures">K, a multiple of 8.</param>
    /// <param name="swiGlu">Also compile <see cref="RunSwiGlu"/>.</param>
    /// <param name="norm">Also compile <see cref="RunNormed"/> (K is then the hidden size the norm spans).</param>
    public GemvKernels(KernelCompiler compiler, int inFeatures, bool swiGlu = false, bool norm = false)
        : base(compiler, "gemv.cu", Defines(inFeatures, swiGlu, norm))
    {
        InFeatures = inFeatures;
        HasSwiGlu = swiGlu;
        HasNorm = norm;
        foreach (var rows in RowsPerBlockChoices)
        {
            foreach (var tier in TokenTiers)
            {
                _kernels[(false, false, rows, tier)] = Kernel($"gemv_r{rows}_m{tier}");
                if (swiGlu)
                    _kernels[(true, false, rows, tier)] = Kernel($"gemv_swiglu_r{rows}_m{tier}");
                if (norm)
                    _kernels[(false, true, rows, tier)] = Kernel($"gemv_norm_r{rows}_m{tier}");
                if (norm && swiGlu)
                    _kernels[(true, true, rows, tier)] = Kernel($"gemv_swiglu_norm_r{rows}_m{tier}");
            }
        }
    }

    private static string[] Defines(int inFeatures, bool swiGlu, bool norm)
    {
        if (inFeatures <= 0 || inFeatures % 8 != 0)
            throw new ArgumentException($"the GEMV kernel needs in features divisible by 8, not {inFeatures}.", nameof(inFeatures));
        return [KernelShapes.Define("GEMV_K", inFeatures), KernelShapes.Define("GEMV_THREADS", Threads), KernelShapes.Define("GEMV_SWIGLU", swiGlu ? 1 : 0),
            KernelShapes.Define("GEMV_NORM", norm ? 1 : 0)];
    }

    public int InFeatures { get; }

    public bool HasSwiGlu { get; }

    public bool HasNorm { get; }

    /// <summary>
    /// Whether <see cref="RunNormed"/> serves <paramref name="tokens"/> without spilling: each thread keeps its share of
    /// h for every token of the tier in registers (tier × ⌈K / 8 / 128⌉ 16-byte vectors; at most 16).
    /// </summary>
    public bool NormFits(int tokens) => HasNorm && tokens is > 0 and <= MaxTokens && TierFor(tokens) * Launch.CeilDiv(InFeatures / 8, Threads) <= 16;

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

    /// <summary>
    /// The residual add, RMSNorm and this linear layer in one launch: h = bf16(residualIn + add) (add may be empty),
    /// x = bf16(normWeight · bf16(h · rsqrt(mean(h²) + eps))), output = x · weightᵀ (or SwiGLU of it with
    /// <paramref name="swiGlu"/>), and h is written to <paramref name="residualOut"/>: the same values as
    /// <see cref="RmsNormKernels.AddAndNormalize"/> followed by <see cref="Run"/> or <see cref="RunSwiGlu"/>, bit for bit.
    /// </summary>
    /// <param name="residualIn">bf16 [tokens, InFeatures]; never written (every CTA reads it).</param>
    /// <param name="add">bf16 [tokens, InFeatures], or empty for h = residualIn (the first layer).</param>
    /// <param name="normWeight">bf16 [InFeatures].</param>
    /// <param name="residualOut">bf16 [tokens, InFeatures]; a different buffer from <paramref name="residualIn"/>.</param>
    public void RunNormed(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> residualIn, DeviceSpan<BFloat16> add,
        DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> residualOut, DeviceSpan<BFloat16> output, int outFeatures, int tokens, float eps,
        bool swiGlu = false, int rowsPerBlock = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!HasNorm)
            throw new InvalidOperationException("this GEMV family was compiled without the fused-norm kernels.");
        if (swiGlu && !HasSwiGlu)
            throw new InvalidOperationException("this GEMV family was compiled without the SwiGLU kernels.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        if (tokens is < 0 or > MaxTokens)
            throw new ArgumentOutOfRangeException(nameof(tokens), $"the GEMV kernel serves 0 to {MaxTokens} tokens, not {tokens}.");
        if (tokens == 0)
            return;
        if (residualIn.Pointer == residualOut.Pointer)
            throw new ArgumentException("the fused norm reads residualIn in every CTA while CTA 0 writes residualOut: they must be different buffers.", nameof(residualOut));
        Launch.RequireAtLeast(nameof(weight), weight.Length, (swiGlu ? 2L : 1L) * outFeatures * InFeatures);
        long rowElements = (long)tokens * InFeatures;
        Launch.RequireAtLeast(nameof(residualIn), residualIn.Length, rowElements);
        if (!add.IsEmpty)
            Launch.RequireAtLeast(nameof(add), add.Length, rowElements);
        Launch.RequireAtLeast(nameof(normWeight), normWeight.Length, InFeatures);
        Launch.RequireAtLeast(nameof(residualOut), residualOut.Length, rowElements);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)tokens * outFeatures);
        int rows = rowsPerBlock == 0 ? ChooseRowsPerBlock(tokens) : rowsPerBlock;
        if (Array.IndexOf(RowsPerBlockChoices, rows) < 0)
            throw new ArgumentOutOfRangeException(nameof(rowsPerBlock), $"rows per block must be 1, 2 or 4, not {rows}.");
        LaunchNormed(_kernels[(swiGlu, true, rows, TierFor(tokens))], new LaunchConfig(Launch.CeilDiv(outFeatures, rows), Threads), stream,
            weight.Pointer, residualIn.Pointer, add.IsEmpty ? Launch.Null : add.Pointer, normWeight.Pointer, residualOut.Pointer, output.Pointer,
            outFeatures, tokens, eps);
    }

    private static unsafe void LaunchNormed(CudaKernel kernel, in LaunchConfig config, CudaStream stream, ulong w, ulong residualIn, ulong add,
        ulong normWeight, ulong residualOut, ulong y, int outFeatures, int tokens, float eps)
    {
        var arguments = stackalloc void*[] { &w, &residualIn, &add, &normWeight, &residualOut, &y, &outFeatures, &tokens, &eps };
        kernel.Launch(config, stream, arguments);
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
        _kernels[(swiGlu, false, rows, TierFor(tokens))].Launch(new LaunchConfig(Launch.CeilDiv(outFeatures, rows), Threads), stream,
            weight.Pointer, input.Pointer, output.Pointer, outFeatures, tokens);
    }
}
