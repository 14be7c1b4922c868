using LlmBench.Gpu.Compilation;

namespace LlmBench.Kernels;

/// <summary>
/// The kernels of fp8 layer weights, by in features like the bf16 GEMVs: the GEMVs that read e4m3 weights with per-row
/// scales, and the quantizers that make them at load (and turn them back into bf16 for the cuBLASLt path).
/// </summary>
public sealed class Fp8LayerKernels : IDisposable
{
    private readonly Fp8WeightQuantizer[] _quantizers;

    public Fp8LayerKernels(KernelCompiler compiler, KernelShapes shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        GemvFromHidden = new GemvKernels(compiler, shapes.HiddenSize, swiGlu: true, norm: true, fp8Weights: true);
        int thenNorm = shapes.NormsAfterGemv ? shapes.HiddenSize : 0;
        GemvFromAttention = new GemvKernels(compiler, shapes.QWidth, fp8Weights: true, thenNormWidth: thenNorm);
        GemvFromIntermediate = new GemvKernels(compiler, shapes.IntermediateSize, fp8Weights: true, thenNormWidth: thenNorm);
        _quantizers = [.. new[] { shapes.HiddenSize, shapes.QWidth, shapes.IntermediateSize }.Distinct().Select(k => new Fp8WeightQuantizer(compiler, k))];
    }

    /// <summary>q/k/v and gate/up (SwiGLU, and the norm folded in).</summary>
    public GemvKernels GemvFromHidden { get; }
    public GemvKernels GemvFromAttention { get; }
    public GemvKernels GemvFromIntermediate { get; }

    /// <summary>The quantizer for a weight of <paramref name="inFeatures"/> columns.</summary>
    public Fp8WeightQuantizer QuantizerFor(int inFeatures) =>
        _quantizers.FirstOrDefault(q => q.InFeatures == inFeatures)
        ?? throw new ArgumentException($"no fp8 quantizer for {inFeatures} in features.", nameof(inFeatures));

    public void Dispose()
    {
        GemvFromHidden.Dispose();
        GemvFromAttention.Dispose();
        GemvFromIntermediate.Dispose();
        foreach (var q in _quantizers)
            q.Dispose();
    }
}
