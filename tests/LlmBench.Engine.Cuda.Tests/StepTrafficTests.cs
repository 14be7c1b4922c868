using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>The profile's byte counts (CPU only): a batch-1 decode step of Qwen3-0.6B must read its weights and KV.</summary>
public sealed class StepTrafficTests
{
    private static readonly ModelConfig Qwen3 = ModelPresets.Qwen3_0_6B.Config;

    [Fact]
    public void LinearLayersAndLmHeadReadEveryWeightOfADecodeStep()
    {
        var traffic = new StepTraffic(Qwen3, Tokens: 1, SampledRows: 1, DecodeContextTokens: 1000, PrefillContextTokens: 0);
        KernelRole[] perLayer = [KernelRole.Qkv, KernelRole.OutProj, KernelRole.GateUp, KernelRole.Down];
        double weights = (perLayer.Sum(traffic.BytesOf) * Qwen3.NumHiddenLayers) + traffic.BytesOf(KernelRole.LmHead);
        // q/k/v/o and the MLP of 28 layers plus the tied 151,936 x 1,024 head, in bf16: 1.192 GB (docs/WORKLOADS.md), plus
        // the one token's activations read and written by each call (about 1.4 MB for the 113 calls).
        long h = 1024, q = 2048, kv = 1024, inter = 3072, vocab = 151_936;
        double exact = 2.0 * ((28 * ((h * (q + (2 * kv))) + (h * q) + (3 * h * inter))) + (vocab * h));
        Assert.InRange(weights - exact, 1.3e6, 1.5e6);
        Assert.InRange(weights / 1e9, 1.18, 1.20);
    }

    [Fact]
    public void DecodeAttentionReadsEachContextTokensKeysAndValuesOncePerLayer()
    {
        var traffic = new StepTraffic(Qwen3, Tokens: 4, SampledRows: 4, DecodeContextTokens: 4 * 700, PrefillContextTokens: 0);
        // K and V of 8 heads x 128 dims in bf16 per token per layer.
        Assert.Equal(4 * 700 * 2.0 * 8 * 128 * 2, traffic.BytesOf(KernelRole.DecodeAttention));
        Assert.Equal(0, traffic.BytesOf(KernelRole.PrefillAttention));
        Assert.Equal(0, traffic.BytesOf(KernelRole.MaskTokens));
    }

    [Fact]
    public void EveryRoleHasANameAndAFamily()
    {
        foreach (var role in Enum.GetValues<KernelRole>())
        {
            Assert.Matches("^[a-z_]+$", role.Name());
            Assert.NotEqual("?", role.Family(ourKernel: true));
        }
        Assert.Equal("cuBLASLt", KernelRole.LmHead.Family(ourKernel: false));
        Assert.Equal("gemv.cu", KernelRole.Qkv.Family(ourKernel: true));
    }
}
