using LlmBench.Engine.Models;
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

    public void Dispose()
    {
        foreach (var plans in _layers.Values)
            plans.Dispose();
        foreach (var plan in _lmHead.Values)
            plan.Dispose();
    }
}
