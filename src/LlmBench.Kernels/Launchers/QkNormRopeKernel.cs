using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// qk_norm_rope.cu: in the fused QKV buffer, optional bias (Qwen2), optional per-head q/k RMSNorm (Qwen3) and RoPE,
/// fused with storing this step's K and V into the paged cache at each token's slot (-1 = store nothing).
/// </summary>
public sealed unsafe class QkNormRopeKernel : KernelFamily
{
    private const int Threads = 256;
    private readonly CudaKernel _kernel;
    private readonly KernelShapes _shapes;

    public QkNormRopeKernel(KernelCompiler compiler, KernelShapes shapes)
        : base(compiler, "qk_norm_rope.cu", Defines(shapes))
    {
        _shapes = shapes;
        _kernel = Kernel("qk_norm_rope_store");
    }

    private static string[] Defines(KernelShapes shapes) =>
        [.. shapes.Validate().AttentionDefines(), KernelShapes.Define("QK_NORM", shapes.QkNorm ? 1 : 0),
            KernelShapes.Define("QKV_BIAS", shapes.QkvBias ? 1 : 0), KernelShapes.Define("ROPE_THREADS", Threads)];

    /// <param name="qkv">bf16 [tokens, (NQ + 2·NKV)·D], rewritten in place.</param>
    /// <param name="positions">int32 [tokens].</param>
    /// <param name="slotMapping">int32 [tokens]: block · BLOCK_SIZE + offset, or -1.</param>
    /// <param name="inverseFrequencies">fp32 [D/2] as HF computes them (rope scaling already applied).</param>
    /// <param name="qNormWeight">bf16 [D] with QK_NORM, else empty.</param>
    /// <param name="kNormWeight">bf16 [D] with QK_NORM, else empty.</param>
    /// <param name="bias">bf16 [(NQ + 2·NKV)·D] with QKV_BIAS, else empty.</param>
    /// <param name="cache">This layer's K and V [blocks, NKV, BLOCK_SIZE, D] (and fp8 scales).</param>
    /// <param name="absoluteMaxima">fp32 [2] or empty: when given, the largest |k| and |v| stored are max-ed into it
    /// (a calibration pass for the fp8 scales).</param>
    public void Run(CudaStream stream, DeviceSpan<BFloat16> qkv, DeviceSpan<int> positions, DeviceSpan<int> slotMapping,
        DeviceSpan<float> inverseFrequencies, DeviceSpan<BFloat16> qNormWeight, DeviceSpan<BFloat16> kNormWeight,
        DeviceSpan<BFloat16> bias, KvCacheLayer cache, DeviceSpan<float> absoluteMaxima, int tokens, float eps)
    {
        if (tokens == 0)
            return;
        Launch.RequireAtLeast(nameof(qkv), qkv.Length, (long)tokens * _shapes.QkvWidth);
        Launch.RequireAtLeast(nameof(positions), positions.Length, tokens);
        Launch.RequireAtLeast(nameof(slotMapping), slotMapping.Length, tokens);
        Launch.RequireAtLeast(nameof(inverseFrequencies), inverseFrequencies.Length, _shapes.HeadDim / 2);
        if (_shapes.QkNorm)
        {
            Launch.RequireAtLeast(nameof(qNormWeight), qNormWeight.Length, _shapes.HeadDim);
            Launch.RequireAtLeast(nameof(kNormWeight), kNormWeight.Length, _shapes.HeadDim);
        }
        if (_shapes.QkvBias)
            Launch.RequireAtLeast(nameof(bias), bias.Length, _shapes.QkvWidth);
        ulong q = qkv.Pointer, pos = positions.Pointer, slots = slotMapping.Pointer, freq = inverseFrequencies.Pointer;
        ulong qn = _shapes.QkNorm ? qNormWeight.Pointer : Launch.Null, kn = _shapes.QkNorm ? kNormWeight.Pointer : Launch.Null;
        if (!absoluteMaxima.IsEmpty)
            Launch.RequireAtLeast(nameof(absoluteMaxima), absoluteMaxima.Length, 2);
        ulong b = _shapes.QkvBias ? bias.Pointer : Launch.Null, kc = cache.Keys.Pointer, vc = cache.Values.Pointer;
        ulong ks = cache.ScalesPointer(_shapes), amax = absoluteMaxima.IsEmpty ? Launch.Null : absoluteMaxima.Pointer;
        var arguments = stackalloc void*[] { &q, &pos, &slots, &freq, &qn, &kn, &b, &kc, &vc, &ks, &amax, &eps };
        _kernel.Launch(new LaunchConfig(tokens, Threads), stream, arguments);
    }
}
