using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// gemv.cu: a linear layer for at most <see cref="MaxTokens"/> tokens (decode batches), y = x · wᵀ in bf16 with fp32
/// accumulation, streaming the weights with every SM; optionally SwiGLU straight from the fused gate/up weight, and
/// optionally with the residual add and RMSNorm that produce x fused in front (<see cref="RunNormed"/>), or with the
/// residual add and RMSNorm that follow the product done by its last CTA (<see cref="RunThenNormalize(CudaStream, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, int, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{uint}, float)"/>).
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
    private readonly Dictionary<(int Rows, int Tokens), CudaKernel> _thenNorm = [];

    /// <param name="inFeatures">K, a multiple of 8.</param>
    /// <param name="swiGlu">Also compile <see cref="RunSwiGlu"/>.</param>
    /// <param name="norm">Also compile <see cref="RunNormed"/> (K is then the hidden size the norm spans).</param>
    /// <param name="fp8Weights">Every kernel of the family reads fp8 e4m3 weights with per-row scales (<see cref="Fp8Matrix"/>,
    /// made by <see cref="Fp8WeightQuantizer"/>) instead of bf16; compute capability 8.9+.</param>
    /// <param name="thenNormWidth">Also compile the RunThenNormalize kernels, whose output (and norm) is this many features
    /// wide, the hidden size; 0 for none.</param>
    public GemvKernels(KernelCompiler compiler, int inFeatures, bool swiGlu = false, bool norm = false, bool fp8Weights = false, int thenNormWidth = 0)
        : base(compiler, "gemv.cu", Defines(inFeatures, swiGlu, norm, fp8Weights, thenNormWidth))
    {
        InFeatures = inFeatures;
        HasSwiGlu = swiGlu;
        HasNorm = norm;
        Fp8Weights = fp8Weights;
        ThenNormWidth = thenNormWidth;
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
                if (thenNormWidth > 0)
                    _thenNorm[(rows, tier)] = Kernel($"gemv_then_norm_r{rows}_m{tier}");
            }
        }
    }

    private static string[] Defines(int inFeatures, bool swiGlu, bool norm, bool fp8Weights, int thenNormWidth)
    {
        if (inFeatures <= 0 || inFeatures % 8 != 0)
            throw new ArgumentException($"the GEMV kernel needs in features divisible by 8, not {inFeatures}.", nameof(inFeatures));
        if (thenNormWidth < 0 || thenNormWidth % 8 != 0)
            throw new ArgumentException($"the norm after the GEMV needs a width divisible by 8, not {thenNormWidth}.", nameof(thenNormWidth));
        string[] defines = [KernelShapes.Define("GEMV_K", inFeatures), KernelShapes.Define("GEMV_THREADS", Threads), KernelShapes.Define("GEMV_SWIGLU", swiGlu ? 1 : 0),
            KernelShapes.Define("GEMV_NORM", norm ? 1 : 0), KernelShapes.Define("GEMV_W_FP8", fp8Weights ? 1 : 0)];
        return thenNormWidth == 0 ? defines : [.. defines, KernelShapes.Define("GEMV_THEN_NORM", 1), KernelShapes.Define("GEMV_NORM_N", thenNormWidth)];
    }

    /// <summary>The output width of <see cref="RunThenNormalize(CudaStream, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, int, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{uint}, float)"/> (the hidden size), 0 when not compiled.</summary>
    public int ThenNormWidth { get; }

    /// <summary>
    /// output = input · weightᵀ (as <see cref="Run(CudaStream, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, int, int, int)"/>,
    /// ThenNormWidth output features), then, by whichever CTA finishes last, the residual add and RMSNorm that follow:
    /// residual = h = bf16(residual + output), normed = bf16(normWeight · bf16(h · rsqrt(mean(h²) + eps))): the same values
    /// as Run followed by <see cref="RmsNormKernels.AddAndNormalize"/>, bit for bit, in one launch.
    /// </summary>
    /// <param name="residual">bf16 [tokens, ThenNormWidth], updated in place.</param>
    /// <param name="normWeight">bf16 [ThenNormWidth].</param>
    /// <param name="normed">bf16 [tokens, ThenNormWidth].</param>
    /// <param name="counter">One uint, zero before the launch (a fresh buffer is zeroed; each launch leaves it at zero). Launches
    /// that share it must not run concurrently.</param>
    public void RunThenNormalize(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output, int tokens,
        DeviceSpan<BFloat16> residual, DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> normed, DeviceSpan<uint> counter, float eps) =>
        LaunchThenNorm(stream, Bf16(weight, ThenNormWidth), input, output, tokens, residual, normWeight, normed, counter, eps);

    /// <summary>The same with fp8 weights.</summary>
    public void RunThenNormalize(CudaStream stream, Fp8Matrix weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output, int tokens,
        DeviceSpan<BFloat16> residual, DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> normed, DeviceSpan<uint> counter, float eps) =>
        LaunchThenNorm(stream, Fp8(weight, ThenNormWidth), input, output, tokens, residual, normWeight, normed, counter, eps);

    private unsafe void LaunchThenNorm(CudaStream stream, WeightArgument weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output, int tokens,
        DeviceSpan<BFloat16> residual, DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> normed, DeviceSpan<uint> counter, float eps)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (ThenNormWidth == 0)
            throw new InvalidOperationException("this GEMV family was compiled without the norm-after kernels.");
        int width = ThenNormWidth;
        if (!HasWork(width, tokens))
            return;
        long rowElements = (long)tokens * width;
        Launch.RequireAtLeast(nameof(input), input.Length, (long)tokens * InFeatures);
        Launch.RequireAtLeast(nameof(output), output.Length, rowElements);
        Launch.RequireAtLeast(nameof(residual), residual.Length, rowElements);
        Launch.RequireAtLeast(nameof(normWeight), normWeight.Length, width);
        Launch.RequireAtLeast(nameof(normed), normed.Length, rowElements);
        Launch.RequireAtLeast(nameof(counter), counter.Length, 1);
        int rows = RowsPerBlock(tokens, 0);
        var kernel = _thenNorm[(rows, TierFor(tokens))];
        var config = new LaunchConfig(Launch.CeilDiv(width, rows), Threads);
        ulong w = weight.Pointer, scales = weight.Scales, x = input.Pointer, y = output.Pointer, r = residual.Pointer, nw = normWeight.Pointer,
            n = normed.Pointer, c = counter.Pointer;
        if (Fp8Weights)
        {
            var arguments = stackalloc void*[] { &w, &scales, &x, &y, &width, &tokens, &r, &nw, &n, &c, &eps };
            kernel.Launch(config, stream, arguments);
        }
        else
        {
            var arguments = stackalloc void*[] { &w, &x, &y, &width, &tokens, &r, &nw, &n, &c, &eps };
            kernel.Launch(config, stream, arguments);
        }
    }

    /// <summary>The family reads fp8 weights (<see cref="Fp8Matrix"/>); the bf16 overloads refuse, and the other way round.</summary>
    public bool Fp8Weights { get; }

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
        int outFeatures, int tokens, int rowsPerBlock = 0) =>
        LaunchChecked(stream, swiGlu: false, Bf16(weight, outFeatures), input, output, outFeatures, tokens, rowsPerBlock);

    /// <summary><see cref="Run(CudaStream, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, int, int, int)"/>
    /// with fp8 weights: output[t, n] = bf16(scales[n] · Σ_k input[t, k] · q[n, k]).</summary>
    public void Run(CudaStream stream, Fp8Matrix weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output,
        int outFeatures, int tokens, int rowsPerBlock = 0) =>
        LaunchChecked(stream, swiGlu: false, Fp8(weight, outFeatures), input, output, outFeatures, tokens, rowsPerBlock);

    /// <summary>
    /// output[t, n] = bf16(bf16(silu(g)) · u) with g = bf16(input[t] · weight[n]) and u = bf16(input[t] · weight[outFeatures + n]):
    /// the fused gate/up product and silu_mul.cu in one pass, equal to running them one after the other.
    /// </summary>
    /// <param name="weight">bf16 [2·outFeatures, InFeatures]: gate rows, then up rows.</param>
    public void RunSwiGlu(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output,
        int outFeatures, int tokens, int rowsPerBlock = 0)
    {
        RequireSwiGlu();
        LaunchChecked(stream, swiGlu: true, Bf16(weight, 2 * outFeatures), input, output, outFeatures, tokens, rowsPerBlock);
    }

    /// <summary>The SwiGLU product with fp8 gate/up weights, each row with its own scale ([2·outFeatures] scales).</summary>
    public void RunSwiGlu(CudaStream stream, Fp8Matrix weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output,
        int outFeatures, int tokens, int rowsPerBlock = 0)
    {
        RequireSwiGlu();
        LaunchChecked(stream, swiGlu: true, Fp8(weight, 2 * outFeatures), input, output, outFeatures, tokens, rowsPerBlock);
    }

    private void RequireSwiGlu()
    {
        if (!HasSwiGlu)
            throw new InvalidOperationException("this GEMV family was compiled without the SwiGLU kernels.");
    }

    /// <summary>A weight argument: its address, and for fp8 its scales' address (0 for bf16).</summary>
    private readonly record struct WeightArgument(ulong Pointer, ulong Scales);

    private WeightArgument Bf16(DeviceSpan<BFloat16> weight, long rows)
    {
        if (Fp8Weights)
            throw new InvalidOperationException("this GEMV family reads fp8 weights: pass an Fp8Matrix.");
        Launch.RequireAtLeast(nameof(weight), weight.Length, rows * InFeatures);
        return new WeightArgument(weight.Pointer, 0);
    }

    private WeightArgument Fp8(Fp8Matrix weight, long rows)
    {
        if (!Fp8Weights)
            throw new InvalidOperationException("this GEMV family reads bf16 weights: it was compiled without fp8 weights.");
        Launch.RequireAtLeast("weight", weight.Values.Length, rows * InFeatures);
        Launch.RequireAtLeast("weight scales", weight.Scales.Length, rows);
        return new WeightArgument(weight.Values.Pointer, weight.Scales.Pointer);
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
        bool swiGlu = false, int rowsPerBlock = 0) =>
        LaunchNormed(stream, Bf16(weight, (swiGlu ? 2L : 1L) * outFeatures), residualIn, add, normWeight, residualOut, output, outFeatures, tokens, eps,
            swiGlu, rowsPerBlock);

    /// <summary><see cref="RunNormed(CudaStream, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, DeviceSpan{BFloat16}, int, int, float, bool, int)"/> with fp8 weights.</summary>
    public void RunNormed(CudaStream stream, Fp8Matrix weight, DeviceSpan<BFloat16> residualIn, DeviceSpan<BFloat16> add,
        DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> residualOut, DeviceSpan<BFloat16> output, int outFeatures, int tokens, float eps,
        bool swiGlu = false, int rowsPerBlock = 0) =>
        LaunchNormed(stream, Fp8(weight, (swiGlu ? 2L : 1L) * outFeatures), residualIn, add, normWeight, residualOut, output, outFeatures, tokens, eps,
            swiGlu, rowsPerBlock);

    private void LaunchNormed(CudaStream stream, WeightArgument weight, DeviceSpan<BFloat16> residualIn, DeviceSpan<BFloat16> add,
        DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> residualOut, DeviceSpan<BFloat16> output, int outFeatures, int tokens, float eps,
        bool swiGlu, int rowsPerBlock)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!HasNorm)
            throw new InvalidOperationException("this GEMV family was compiled without the fused-norm kernels.");
        if (swiGlu && !HasSwiGlu)
            throw new InvalidOperationException("this GEMV family was compiled without the SwiGLU kernels.");
        if (!HasWork(outFeatures, tokens))
            return;
        if (residualIn.Pointer == residualOut.Pointer)
            throw new ArgumentException("the fused norm reads residualIn in every CTA while CTA 0 writes residualOut: they must be different buffers.", nameof(residualOut));
        long rowElements = (long)tokens * InFeatures;
        Launch.RequireAtLeast(nameof(residualIn), residualIn.Length, rowElements);
        if (!add.IsEmpty)
            Launch.RequireAtLeast(nameof(add), add.Length, rowElements);
        Launch.RequireAtLeast(nameof(normWeight), normWeight.Length, InFeatures);
        Launch.RequireAtLeast(nameof(residualOut), residualOut.Length, rowElements);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)tokens * outFeatures);
        int rows = RowsPerBlock(tokens, rowsPerBlock);
        LaunchNormedKernel(_kernels[(swiGlu, true, rows, TierFor(tokens))], new LaunchConfig(Launch.CeilDiv(outFeatures, rows), Threads), stream,
            weight, residualIn.Pointer, add.IsEmpty ? Launch.Null : add.Pointer, normWeight.Pointer, residualOut.Pointer, output.Pointer,
            outFeatures, tokens, eps);
    }

    private unsafe void LaunchNormedKernel(CudaKernel kernel, in LaunchConfig config, CudaStream stream, WeightArgument weight, ulong residualIn, ulong add,
        ulong normWeight, ulong residualOut, ulong y, int outFeatures, int tokens, float eps)
    {
        ulong w = weight.Pointer, scales = weight.Scales;
        if (Fp8Weights)
        {
            var arguments = stackalloc void*[] { &w, &scales, &residualIn, &add, &normWeight, &residualOut, &y, &outFeatures, &tokens, &eps };
            kernel.Launch(config, stream, arguments);
        }
        else
        {
            var arguments = stackalloc void*[] { &w, &residualIn, &add, &normWeight, &residualOut, &y, &outFeatures, &tokens, &eps };
            kernel.Launch(config, stream, arguments);
        }
    }

    /// <summary>The checks every launch shares; false when there are no tokens (nothing to launch).</summary>
    private static bool HasWork(int outFeatures, int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        if (tokens is < 0 or > MaxTokens)
            throw new ArgumentOutOfRangeException(nameof(tokens), $"the GEMV kernel serves 0 to {MaxTokens} tokens, not {tokens}.");
        return tokens > 0;
    }

    /// <summary><paramref name="rowsPerBlock"/>, or the choice for <paramref name="tokens"/> when 0; 1, 2 or 4.</summary>
    private static int RowsPerBlock(int tokens, int rowsPerBlock)
    {
        int rows = rowsPerBlock == 0 ? ChooseRowsPerBlock(tokens) : rowsPerBlock;
        if (Array.IndexOf(RowsPerBlockChoices, rows) < 0)
            throw new ArgumentOutOfRangeException(nameof(rowsPerBlock), $"rows per block must be 1, 2 or 4, not {rows}.");
        return rows;
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

    private void LaunchChecked(CudaStream stream, bool swiGlu, WeightArgument weight, DeviceSpan<BFloat16> input,
        DeviceSpan<BFloat16> output, int outFeatures, int tokens, int rowsPerBlock)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!HasWork(outFeatures, tokens))
            return;
        Launch.RequireAtLeast(nameof(input), input.Length, (long)tokens * InFeatures);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)tokens * outFeatures);
        int rows = RowsPerBlock(tokens, rowsPerBlock);
        var kernel = _kernels[(swiGlu, false, rows, TierFor(tokens))];
        var config = new LaunchConfig(Launch.CeilDiv(outFeatures, rows), Threads);
        if (Fp8Weights)
            kernel.Launch(config, stream, weight.Pointer, weight.Scales, input.Pointer, output.Pointer, outFeatures, tokens);
        else
            kernel.Launch(config, stream, weight.Pointer, input.Pointer, output.Pointer, outFeatures, tokens);
    }
}
