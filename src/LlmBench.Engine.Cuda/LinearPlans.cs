using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Gpu.Blas;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The decoder layer's four linear layers for one token count (bf16 in and out, fp32 accumulation): cuBLASLt
/// GEMMs, or at small counts the GEMV kernels, whose gate/up also applies SwiGLU so silu_mul is skipped.
/// </summary>
internal sealed class LinearPlans : IDisposable
{
    private LinearPlans(ILinearLayer qkv, ILinearLayer outProj, ILinearLayer gateUp, ILinearLayer down, bool gateUpAppliesSwiGlu,
        NormedGemv? normedQkv = null, NormedGemv? normedGateUp = null, GemvThenNorm? outProjThenNorm = null, GemvThenNorm? downThenNorm = null)
    {
        (Qkv, OutProj, GateUp, Down, GateUpAppliesSwiGlu) = (qkv, outProj, gateUp, down, gateUpAppliesSwiGlu);
        (NormedQkv, NormedGateUp) = (normedQkv, normedGateUp);
        (OutProjThenNorm, DownThenNorm) = (outProjThenNorm, downThenNorm);
    }

    /// <param name="fp8">With fp8 layer weights: the kernels and scratch of their cuBLASLt path.</param>
    public static LinearPlans Cublas(CublasLtContext context, ModelConfig model, int tokens, Fp8LinearScratch? fp8 = null)
    {
        int h = model.HiddenSize, qkv = model.QSize + 2 * model.KvSize;
#pragma warning disable CA2000 // each layer owns its plan; LinearPlans.Dispose disposes every layer
        ILinearLayer Plan(int inFeatures, int outFeatures)
        {
            var shape = GemmShape.ForLinear(tokens, inFeatures, outFeatures);
            if (fp8 is not { } f)
                return new CublasLinear(GemmPlan.Create(context, shape, GemmDataType.Bf16));
            var quantizer = f.Kernels.QuantizerFor(inFeatures);
            if (f.Gemm == Fp8LargeStepGemm.Fp8)
            {
                try
                {
                    return new Fp8GemmLinear(GemmPlan.CreateVectorScaledFp8(context, shape), quantizer, f.Activations);
                }
                catch (GpuException)
                {
                    // This cuBLASLt or GPU has no outer-vector fp8 kernel: the dequantizing path below serves instead.
                }
            }
            return new CublasLinear(GemmPlan.Create(context, shape, GemmDataType.Bf16), new Fp8Dequantize(quantizer, f.Weight, outFeatures));
        }
#pragma warning restore CA2000
        return new LinearPlans(Plan(h, qkv), Plan(model.QSize, h), Plan(h, 2 * model.IntermediateSize), Plan(model.IntermediateSize, h),
            gateUpAppliesSwiGlu: false);
    }

    /// <param name="fuseNorms">Also plan <see cref="NormedQkv"/> and <see cref="NormedGateUp"/> (the norms folded in).</param>
    /// <param name="normsAfter">Also plan <see cref="OutProjThenNorm"/> and <see cref="DownThenNorm"/> (the norms done after).</param>
    /// <remarks>With fp8 layer weights (<see cref="ModelKernels.Fp8"/>) the GEMVs are the families that read them.</remarks>
    public static LinearPlans Gemv(ModelKernels kernels, ModelConfig model, int tokens, bool fuseNorms = false, bool normsAfter = false)
    {
        int h = model.HiddenSize, qkv = model.QSize + 2 * model.KvSize;
        var (fromHidden, fromAttention, fromIntermediate) = kernels.Fp8 is { } fp8
            ? (fp8.GemvFromHidden, fp8.GemvFromAttention, fp8.GemvFromIntermediate)
            : (kernels.GemvFromHidden, kernels.GemvFromAttention, kernels.GemvFromIntermediate);
        return new LinearPlans(
            new GemvLinear(fromHidden, qkv, tokens),
            new GemvLinear(fromAttention, h, tokens),
            new GemvLinear(fromHidden, model.IntermediateSize, tokens, swiGlu: true),
            new GemvLinear(fromIntermediate, h, tokens),
            gateUpAppliesSwiGlu: true,
            fuseNorms ? new NormedGemv(fromHidden, qkv, tokens, swiGlu: false) : null,
            fuseNorms ? new NormedGemv(fromHidden, model.IntermediateSize, tokens, swiGlu: true) : null,
            normsAfter ? new GemvThenNorm(fromAttention, tokens) : null,
            normsAfter ? new GemvThenNorm(fromIntermediate, tokens) : null);
    }

    /// <summary>o_proj ending with the post-attention norm, when planned (then <see cref="DownThenNorm"/> is too).</summary>
    public GemvThenNorm? OutProjThenNorm { get; }

    /// <summary>down_proj ending with the next layer's input norm (every layer but the last, whose output the final norm reads).</summary>
    public GemvThenNorm? DownThenNorm { get; }

    /// <summary>The input norm folded into the qkv GEMV, when planned (then <see cref="NormedGateUp"/> is too).</summary>
    public NormedGemv? NormedQkv { get; }

    /// <summary>The post-attention norm folded into the gate/up GEMV with SwiGLU.</summary>
    public NormedGemv? NormedGateUp { get; }

    public ILinearLayer Qkv { get; }
    public ILinearLayer OutProj { get; }
    /// <summary>Writes gate|up [tokens, 2·intermediate], or silu(gate)·up [tokens, intermediate] when <see cref="GateUpAppliesSwiGlu"/>.</summary>
    public ILinearLayer GateUp { get; }
    public ILinearLayer Down { get; }
    public bool GateUpAppliesSwiGlu { get; }

    /// <summary>How these layers multiply by fp8 weights: null for bf16 weights and for the GEMV path.</summary>
    public Fp8LargeStepGemm? Fp8Gemm => Qkv switch
    {
        Fp8GemmLinear => Fp8LargeStepGemm.Fp8,
        CublasLinear { Dequantizes: true } => Fp8LargeStepGemm.Dequantize,
        _ => null,
    };

    /// <summary>Every layer waits for its predecessor itself (see <see cref="ILinearLayer.WaitsForPredecessor"/>).</summary>
    public bool WaitForPredecessors => Qkv.WaitsForPredecessor && OutProj.WaitsForPredecessor && GateUp.WaitsForPredecessor && Down.WaitsForPredecessor;

    public void Dispose()
    {
        foreach (var layer in new[] { Qkv, OutProj, GateUp, Down })
            (layer as IDisposable)?.Dispose();
    }
}
