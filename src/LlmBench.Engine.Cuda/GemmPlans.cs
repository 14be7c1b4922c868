using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Gpu.Blas;

namespace LlmBench.Engine.Cuda;

/// <summary>The five linear layers' cuBLASLt plans for one token count (bf16 in and out, fp32 accumulation).</summary>
internal sealed class LinearPlans : IDisposable
{
    public LinearPlans(CublasLtContext context, ModelConfig model, int tokens)
    {
        int h = model.HiddenSize, qkv = model.QSize + 2 * model.KvSize;
        Qkv = GemmPlan.Create(context, GemmShape.ForLinear(tokens, h, qkv), GemmDataType.Bf16);
        OutProj = GemmPlan.Create(context, GemmShape.ForLinear(tokens, model.QSize, h), GemmDataType.Bf16);
        GateUp = GemmPlan.Create(context, GemmShape.ForLinear(tokens, h, 2 * model.IntermediateSize), GemmDataType.Bf16);
        Down = GemmPlan.Create(context, GemmShape.ForLinear(tokens, model.IntermediateSize, h), GemmDataType.Bf16);
    }

    public GemmPlan Qkv { get; }
    public GemmPlan OutProj { get; }
    public GemmPlan GateUp { get; }
    public GemmPlan Down { get; }

    public void Dispose()
    {
        Qkv.Dispose();
        OutProj.Dispose();
        GateUp.Dispose();
        Down.Dispose();
    }
}

/// <summary>Plans built once at start-up for every token bucket (layers) and every sampled-row bucket (LM head).</summary>
internal sealed class GemmPlans : IDisposable
{
    private readonly Dictionary<int, LinearPlans> _layers = [];
    private readonly Dictionary<int, GemmPlan> _lmHead = [];

    public GemmPlans(CublasLtContext context, ModelConfig model, TokenBuckets tokenBuckets, TokenBuckets rowBuckets)
    {
        foreach (var tokens in tokenBuckets.Sizes)
            _layers[tokens] = new LinearPlans(context, model, tokens);
        foreach (var rows in rowBuckets.Sizes)
            _lmHead[rows] = GemmPlan.Create(context, GemmShape.ForLinear(rows, model.HiddenSize, model.VocabSize), GemmDataType.Bf16);
    }

    public LinearPlans Layers(int tokenBucket) => _layers[tokenBucket];

    public GemmPlan LmHead(int rowBucket) => _lmHead[rowBucket];

    /// <summary>
    /// Times cuBLASLt's candidate kernels for the plans of <paramref name="tokenBuckets"/> over every layer's weights
    /// in turn (as a forward pass streams them from memory) and keeps the fastest: at decode sizes each GEMM is a
    /// few microseconds and the heuristic's first pick often leaves bandwidth unused.
    /// </summary>
    public void Autotune(CudaStream stream, GpuModelWeights weights, Activations work, IEnumerable<int> tokenBuckets)
    {
        const int Candidates = 8;
        (ulong, ulong, ulong)[] Operands(Func<GpuLayerWeights, ulong> weight, ulong input, ulong output) =>
            [.. weights.Layers.Select(layer => (weight(layer), input, output))];
        var qkv = Operands(l => l.Qkv.Pointer, work.Normed.Pointer, work.Qkv.Pointer);
        var outProj = Operands(l => l.OutProj.Pointer, work.AttentionOutput.Pointer, work.LayerOutput.Pointer);
        var gateUp = Operands(l => l.GateUp.Pointer, work.Normed.Pointer, work.GateUp.Pointer);
        var down = Operands(l => l.Down.Pointer, work.Activated.Pointer, work.LayerOutput.Pointer);
        var lmHead = new[] { (weights.LmHead.Pointer, work.FinalNormed.Pointer, work.Logits.Pointer) };
        foreach (var tokens in tokenBuckets)
        {
            var plans = _layers[tokens];
            plans.Qkv.Autotune(stream, qkv, Candidates);
            plans.OutProj.Autotune(stream, outProj, Candidates);
            plans.GateUp.Autotune(stream, gateUp, Candidates);
            plans.Down.Autotune(stream, down, Candidates);
            if (_lmHead.TryGetValue(tokens, out var head))
                head.Autotune(stream, lmHead, Candidates, passes: 3);
        }
    }

    public void Dispose()
    {
        foreach (var plans in _layers.Values)
            plans.Dispose();
        foreach (var plan in _lmHead.Values)
            plan.Dispose();
    }
}
