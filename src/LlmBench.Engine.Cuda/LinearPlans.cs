using LlmBench.Engine.Models;
using LlmBench.Gpu.Blas;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The decoder layer's four linear layers for one token count (bf16 in and out, fp32 accumulation): cuBLASLt
/// GEMMs, or at small counts the GEMV kernels, whose gate/up also applies SwiGLU so silu_mul is skipped.
/// </summary>
internal sealed class LinearPlans : IDisposable
{
    private LinearPlans(ILinearLayer qkv, ILinearLayer outProj, ILinearLayer gateUp, ILinearLayer down, bool gateUpAppliesSwiGlu)
    {
        (Qkv, OutProj, GateUp, Down, GateUpAppliesSwiGlu) = (qkv, outProj, gateUp, down, gateUpAppliesSwiGlu);
    }

    public static LinearPlans Cublas(CublasLtContext context, ModelConfig model, int tokens)
    {
        int h = model.HiddenSize, qkv = model.QSize + 2 * model.KvSize;
#pragma warning disable CA2000 // the CublasLinear owns its plan; LinearPlans.Dispose disposes every layer
        CublasLinear Plan(int inFeatures, int outFeatures) =>
            new(GemmPlan.Create(context, GemmShape.ForLinear(tokens, inFeatures, outFeatures), GemmDataType.Bf16));
#pragma warning restore CA2000
        return new LinearPlans(Plan(h, qkv), Plan(model.QSize, h), Plan(h, 2 * model.IntermediateSize), Plan(model.IntermediateSize, h),
            gateUpAppliesSwiGlu: false);
    }

    public static LinearPlans Gemv(ModelKernels kernels, ModelConfig model, int tokens)
    {
        int h = model.HiddenSize;
        return new LinearPlans(
            new GemvLinear(kernels.GemvFromHidden, model.QSize + 2 * model.KvSize, tokens),
            new GemvLinear(kernels.GemvFromAttention, h, tokens),
            new GemvLinear(kernels.GemvFromHidden, model.IntermediateSize, tokens, swiGlu: true),
            new GemvLinear(kernels.GemvFromIntermediate, h, tokens),
            gateUpAppliesSwiGlu: true);
    }

    public ILinearLayer Qkv { get; }
    public ILinearLayer OutProj { get; }
    /// <summary>Writes gate|up [tokens, 2·intermediate], or silu(gate)·up [tokens, intermediate] when <see cref="GateUpAppliesSwiGlu"/>.</summary>
    public ILinearLayer GateUp { get; }
    public ILinearLayer Down { get; }
    public bool GateUpAppliesSwiGlu { get; }

    /// <summary>Every layer waits for its predecessor itself (see <see cref="ILinearLayer.WaitsForPredecessor"/>).</summary>
    public bool WaitForPredecessors => Qkv.WaitsForPredecessor && OutProj.WaitsForPredecessor && GateUp.WaitsForPredecessor && Down.WaitsForPredecessor;

    public void Dispose()
    {
        foreach (var layer in new[] { Qkv, OutProj, GateUp, Down })
            (layer as IDisposable)?.Dispose();
    }
}
