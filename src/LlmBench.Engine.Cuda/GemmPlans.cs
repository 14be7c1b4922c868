using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Gpu.Blas;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The linear layers planned once at start-up for every token bucket (layers) and every sampled-row bucket (LM head):
/// the GEMV kernels up to <c>gemvMaxTokens</c>, cuBLASLt plans above.
/// </summary>
internal sealed class GemmPlans : IDisposable
{
    /// <summary>
    /// Sampled rows up to which the LM head runs the GEMV kernel. Measured on an H100 (1,024 → 151,936): 100 vs 111 µs
    /// for cuBLASLt at 1 row, 102 vs 112 at 4, but 139 vs 113 at 8, where the GEMV's fp32 FMAs start to show.
    /// </summary>
    public const int LmHeadGemvMaxRows = 4;

    private readonly Dictionary<int, LinearPlans> _layers = [];
    private readonly Dictionary<int, ILinearLayer> _lmHead = [];

    /// <param name="fuseNorms">Fold the norms into the GEMVs where the kernel fits the bucket (<see cref="GemvKernels.NormFits"/>).</param>
    /// <param name="fp8">With fp8 layer weights: the kernels and scratch of their cuBLASLt path.</param>
    /// <param name="normsAfter">End o_proj and down_proj with the norm that follows them on the GEMV path (the kernels must have
    /// been compiled with <see cref="KernelShapes.NormsAfterGemv"/>).</param>
    public GemmPlans(CublasLtContext context, ModelKernels kernels, ModelConfig model, TokenBuckets tokenBuckets, TokenBuckets rowBuckets, int gemvMaxTokens,
        bool fuseNorms = false, Fp8LinearScratch? fp8 = null, bool normsAfter = false)
    {
        foreach (var tokens in tokenBuckets.Sizes)
        {
            _layers[tokens] = tokens <= gemvMaxTokens
                ? LinearPlans.Gemv(kernels, model, tokens, fuseNorms && kernels.GemvFromHidden.NormFits(tokens), normsAfter)
                : LinearPlans.Cublas(context, model, tokens, fp8);
        }
        foreach (var rows in rowBuckets.Sizes)
        {
#pragma warning disable CA2000 // the CublasLinear owns its plan; Dispose below disposes every layer
            _lmHead[rows] = rows <= Math.Min(gemvMaxTokens, LmHeadGemvMaxRows)
                ? new GemvLinear(kernels.GemvFromHidden, model.VocabSize, rows)
                : new CublasLinear(GemmPlan.Create(context, GemmShape.ForLinear(rows, model.HiddenSize, model.VocabSize), GemmDataType.Bf16));
#pragma warning restore CA2000
        }
    }

    public LinearPlans Layers(int tokenBucket) => _layers[tokenBucket];

    /// <summary>How the largest step multiplies by fp8 weights (null: bf16 weights, or no step above the GEMV sizes).</summary>
    public Fp8LargeStepGemm? Fp8Gemm => _layers[_layers.Keys.Max()].Fp8Gemm;

    public ILinearLayer LmHead(int rowBucket) => _lmHead[rowBucket];

    /// <summary>
    /// Runs every plan once (the first layer's weights, scratch activations): CUDA loads a library kernel's code at its
    /// first launch, which cost the first prefill in each token bucket milliseconds per GEMM (the step profiler saw a
    /// 128-token down projection take 450 µs instead of a few).
    /// </summary>
    public void WarmUp(CudaStream stream, GpuModelWeights weights, Activations work)
    {
        var layer = weights.Layers[0];
        foreach (var plans in _layers.Values)
        {
            plans.Qkv.Run(stream, layer.Qkv, work.Normed, work.Qkv);
            plans.OutProj.Run(stream, layer.OutProj, work.AttentionOutput, work.LayerOutput);
            plans.GateUp.Run(stream, layer.GateUp, work.Normed, plans.GateUpAppliesSwiGlu ? work.Activated : work.GateUp);
            plans.Down.Run(stream, layer.Down, work.Activated, work.LayerOutput);
        }
        foreach (var head in _lmHead.Values)
            head.Run(stream, weights.LmHead, work.FinalNormed, work.Logits);
    }

    /// <summary>
    /// Times cuBLASLt's candidate kernels for the plans of <paramref name="tokenBuckets"/> over every layer's weights
    /// in turn (as a forward pass streams them from memory) and keeps the fastest: at decode sizes each GEMM is a
    /// few microseconds and the heuristic's first pick often leaves bandwidth unused. GEMV buckets have nothing to tune.
    /// </summary>
    public void Autotune(CudaStream stream, GpuModelWeights weights, Activations work, IEnumerable<int> tokenBuckets)
    {
        const int Candidates = 8;
        (ulong, ulong, ulong)[] Operands(Func<GpuLayerWeights, ulong> weight, ulong input, ulong output) =>
            [.. weights.Layers.Select(layer => (weight(layer), input, output))];
        var qkv = Operands(l => l.Qkv.Bf16Pointer, work.Normed.Pointer, work.Qkv.Pointer);
        var outProj = Operands(l => l.OutProj.Bf16Pointer, work.AttentionOutput.Pointer, work.LayerOutput.Pointer);
        var gateUp = Operands(l => l.GateUp.Bf16Pointer, work.Normed.Pointer, work.GateUp.Pointer);
        var down = Operands(l => l.Down.Bf16Pointer, work.Activated.Pointer, work.LayerOutput.Pointer);
        var lmHead = new[] { (weights.LmHead.Pointer, work.FinalNormed.Pointer, work.Logits.Pointer) };
        static void Tune(ILinearLayer layer, CudaStream stream, (ulong, ulong, ulong)[] operands, int passes = 2)
        {
            if (layer is CublasLinear cublas)
                cublas.Plan.Autotune(stream, operands, Candidates, passes);
        }
        foreach (var tokens in tokenBuckets)
        {
            var plans = _layers[tokens];
            Tune(plans.Qkv, stream, qkv);
            Tune(plans.OutProj, stream, outProj);
            Tune(plans.GateUp, stream, gateUp);
            Tune(plans.Down, stream, down);
            if (_lmHead.TryGetValue(tokens, out var head))
                Tune(head, stream, lmHead, passes: 3);
        }
    }

    public void Dispose()
    {
        foreach (var plans in _layers.Values)
            plans.Dispose();
        foreach (var head in _lmHead.Values)
            (head as IDisposable)?.Dispose();
    }
}
