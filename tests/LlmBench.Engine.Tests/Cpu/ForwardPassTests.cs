using LlmBench.Engine.Cpu;
using LlmBench.Engine.Tests.Support;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Cpu;

public class ForwardPassTests
{
    [Theory]
    [MemberData(nameof(TinyModels.Families), MemberType = typeof(TinyModels))]
    public void PrefillLogits_MatchTheDoublePrecisionReference(string family)
    {
        var model = TinyModels.ByName(family);
        using var weights = new RandomTensorSource(model, seed: 11);
        var prompt = TinyModels.Prompt(37, seed: 5);

        var traced = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [("a", prompt, 1)]);
        var reference = ReferenceForward.LastLogits(model, weights, prompt).Select(v => (float)v).ToArray();

        Assert.True(reference.Max() - reference.Min() > 1, "random weights should give spread-out logits");
        Assert.InRange(GreedyTrace.MaxAbsDifference(traced["a"].Logits[0], reference), 0, 1e-4f);
    }

    /// <summary>
    /// Attention's two row paths: head_dim 8 and 24 take the TensorPrimitives loop, 16 and 32 the AVX2 one (where the
    /// CPU has it); 8 query heads over 2 kv heads puts four heads in one work item. A prompt of 37 tokens spans three
    /// cache blocks, so both the block walk and the causal mask within the chunk are checked.
    /// </summary>
    [Theory]
    [InlineData(8, 2)]
    [InlineData(16, 2)]
    [InlineData(24, 4)]
    [InlineData(32, 4)]
    public void PrefillLogits_MatchTheReference_ForEveryHeadSizeAndGroup(int headDim, int groupSize)
    {
        var model = TinyModels.Qwen3() with { HeadDim = headDim, NumAttentionHeads = 2 * groupSize, NumKeyValueHeads = 2 };
        using var weights = new RandomTensorSource(model, seed: 13);
        var prompt = TinyModels.Prompt(37, seed: 6);

        var traced = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [("a", prompt, 1)]);
        var reference = ReferenceForward.LastLogits(model, weights, prompt).Select(v => (float)v).ToArray();

        Assert.True(reference.Max() - reference.Min() > 1, "random weights should give spread-out logits");
        Assert.InRange(GreedyTrace.MaxAbsDifference(traced["a"].Logits[0], reference), 0, 1e-4f);
    }

    [Theory]
    [MemberData(nameof(TinyModels.Families), MemberType = typeof(TinyModels))]
    public void DecodeLogits_EqualAFullRecomputeOfTheSequence(string family)
    {
        var model = TinyModels.ByName(family);
        using var weights = new RandomTensorSource(model, seed: 3);
        var prompt = TinyModels.Prompt(20, seed: 9);
        var decoded = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [("a", prompt, 12)])["a"];

        foreach (int k in new[] { 1, 6, 11 })
        {
            int[] longer = [.. prompt, .. decoded.Tokens[..k]];
            var recomputed = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [("b", longer, 1)])["b"];
            Assert.InRange(GreedyTrace.MaxAbsDifference(decoded.Logits[k], recomputed.Logits[0]), 0, 1e-5f);
            var reference = ReferenceForward.LastLogits(model, weights, longer).Select(v => (float)v).ToArray();
            Assert.InRange(GreedyTrace.MaxAbsDifference(decoded.Logits[k], reference), 0, 1e-4f);
        }
    }

    [Fact]
    public void ChunkedPrefill_EqualsOneShotPrefill()
    {
        var model = TinyModels.Qwen3();
        using var weights = new RandomTensorSource(model, seed: 21);
        // Longer than one CPU pass (256 tokens), so the one-shot run also splits internally.
        var prompt = TinyModels.Prompt(300, seed: 2);

        var oneShot = GreedyTrace.Run(model, weights, GreedyTrace.Options(maxBatchedTokens: 512), [("a", prompt, 6)])["a"];
        var chunked = GreedyTrace.Run(model, weights, GreedyTrace.Options(maxBatchedTokens: 40), [("a", prompt, 6)])["a"];

        Assert.InRange(GreedyTrace.MaxAbsDifference(oneShot.Logits[0], chunked.Logits[0]), 0, 1e-5f);
        Assert.Equal(oneShot.Tokens, chunked.Tokens);
    }

    [Fact]
    public void ASequencesOutput_DoesNotDependOnWhatElseIsInTheBatch()
    {
        var model = TinyModels.Qwen2();
        using var weights = new RandomTensorSource(model, seed: 4);
        var requests = Enumerable.Range(0, 5).Select(i => ($"r{i}", TinyModels.Prompt(5 + 17 * i, seed: 100 + i), 10 + i)).ToArray();

        var together = GreedyTrace.Run(model, weights, GreedyTrace.Options(maxBatchedTokens: 64), requests);
        foreach (var request in requests)
        {
            var alone = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [request])[request.Item1];
            Assert.Equal(alone.Tokens, together[request.Item1].Tokens);
            for (int i = 0; i < alone.Logits.Length; i++)
                Assert.InRange(GreedyTrace.MaxAbsDifference(alone.Logits[i], together[request.Item1].Logits[i]), 0, 1e-5f);
        }
    }

    [Fact]
    public void Preemption_DoesNotChangeTheOutput()
    {
        var model = TinyModels.Llama();
        using var weights = new RandomTensorSource(model, seed: 8);
        var requests = Enumerable.Range(0, 4).Select(i => ($"r{i}", TinyModels.Prompt(30, seed: 40 + i), 40)).ToArray();
        var options = GreedyTrace.Options(maxNumSeqs: 4, maxModelLen: 96, blockSize: 8);
        long preemptions = 0;

        var roomy = GreedyTrace.Run(model, weights, options, requests);
        // 4 sequences of 70 tokens need 36 blocks of 8; 20 blocks force preemption and recompute.
        var cramped = GreedyTrace.Run(model, weights, options, requests, kvBlocks: 20,
            afterStep: s => preemptions = s.Counters.Preemptions);

        Assert.True(preemptions > 0, "the cramped cache should have preempted");
        foreach (var (id, _, _) in requests)
            Assert.Equal(roomy[id].Tokens, cramped[id].Tokens);
    }

    [Fact]
    public void PackedBf16Weights_GiveTheSameLogitsAsWidenedOnes()
    {
        var model = TinyModels.Qwen3();
        using var weights = new RandomTensorSource(model, seed: 6, dtype: TensorDType.BF16);
        var prompt = TinyModels.Prompt(25, seed: 1);

        var packed = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [("a", prompt, 8)], format: CpuWeightFormat.Bf16)["a"];
        var widened = GreedyTrace.Run(model, weights, GreedyTrace.Options(), [("a", prompt, 8)], format: CpuWeightFormat.Float32)["a"];
        var reference = ReferenceForward.LastLogits(model, weights, prompt).Select(v => (float)v).ToArray();

        Assert.Equal(widened.Tokens, packed.Tokens);
        Assert.InRange(GreedyTrace.MaxAbsDifference(packed.Logits[0], widened.Logits[0]), 0, 1e-5f);
        Assert.InRange(GreedyTrace.MaxAbsDifference(packed.Logits[0], reference), 0, 1e-4f);
    }
}
