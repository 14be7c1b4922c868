using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>
/// Small steps run our GEMV kernels (SwiGLU fused into gate/up, programmatic launch on Hopper) instead of cuBLASLt:
/// the logits and greedy tokens must agree with the cuBLASLt path, eagerly and replayed from graphs.
/// </summary>
[Collection(CudaCollection.Name)]
public sealed class GemvPathTests(CudaFixture fixture)
{
    private const float TieTolerance = 0.1f;

    [Fact]
    public void DecodeStepsMatchTheCublasPath()
    {
        var device = fixture.SkipUnlessGpu();
        var model = CpuComparisonTests.Config("qwen3");
        using var weights = new DummyTensorSource(model, seed: 5);
        var random = new Random(8);
        var prompts = new[] { 1, 5, 9, 33 }.Select((n, i) => ($"p{i}", Enumerable.Range(0, n).Select(_ => random.Next(model.VocabSize)).ToArray(), 8)).ToArray();
        var cublasOnly = fixture.Settings with { GemvMaxTokens = 0 };

        var reference = RunEach(device, model, weights, cublasOnly, prompts);
        var gemv = RunEach(device, model, weights, fixture.Settings, prompts);
        float worst = 0;
        foreach (var (id, _, _) in prompts)
        {
            for (int step = 0; step < reference[id].Logits.Length; step++)
            {
                var (a, b) = (reference[id].Logits[step], gemv[id].Logits[step]);
                worst = Math.Max(worst, Compare.MaxAbsDifference(a, b));
                Assert.True(RowCompare.Cosine(a, b) >= 0.9995, $"{id} step {step}: cosine {RowCompare.Cosine(a, b)}");
            }
            Compare.GreedyUntilNearTie(reference[id].Tokens, gemv[id].Tokens, reference[id].Logits, TieTolerance);
        }

        using var graphs = new CudaModelExecutor(device, model, weights, TestOptions.Small(), fixture.Settings);
        var batched = StepTrace.Run(graphs, graphs.Options, prompts, keepLogits: false);
        int matched = prompts.Sum(p => Compare.GreedyUntilNearTie(reference[p.Item1].Tokens, batched[p.Item1].Tokens, reference[p.Item1].Logits, TieTolerance));
        TestReport.Line($"GEMV path vs cuBLASLt: max |logit difference| {worst:F4} (eager, one sequence); graphs, batch of 4: matched {matched}/{prompts.Length * 8} tokens");
        Assert.True(worst < 0.25f, $"max |logit difference| {worst}");
    }

    [Fact]
    public void NormsFoldedIntoTheGemvsGiveTheSameLogitsBitForBit() =>
        // gemv_norm_* computes the norm with rmsnorm.cu's numerics and reduction order, so the fused path is not
        // merely close: every logit of every step is the same, eagerly and from graphs at a batch of 3.
        AssertEveryLogitEqualsTheDefaultPath(fixture.Settings with { FuseNormsIntoGemv = true }, "fused norms");

    [Fact]
    public void NormsAfterTheGemvsGiveTheSameLogitsBitForBit() =>
        // gemv_then_norm_* does the residual add and norm in its last CTA with the same numerics and order.
        AssertEveryLogitEqualsTheDefaultPath(fixture.Settings with { NormsAfterGemv = true }, "norms after the GEMVs");

    [Fact]
    public void AttentionMergedInItsOwnLaunchAndSplitSamplingGiveTheSameLogitsBitForBit() =>
        // Contexts past 64 tokens are split into partitions, so decode_attention_merging's merge runs; with the norms after
        // the GEMVs and the split sampler too (greedy here; the kernel tests cover temperature, top-k and top-p).
        AssertEveryLogitEqualsTheDefaultPath(fixture.Settings with { MergeAttentionInLastCta = true, NormsAfterGemv = true, SplitSampling = true },
            "attention merged in its launch, norms after the GEMVs, split sampling", [1, 70, 200]);

    private void AssertEveryLogitEqualsTheDefaultPath(CudaExecutorSettings variant, string label, int[]? promptLengths = null)
    {
        var device = fixture.SkipUnlessGpu();
        var model = CpuComparisonTests.Config("qwen3");
        using var weights = new DummyTensorSource(model, seed: 6);
        var random = new Random(9);
        var prompts = (promptLengths ?? [1, 4, 17]).Select((n, i) => ($"p{i}", Enumerable.Range(0, n).Select(_ => random.Next(model.VocabSize)).ToArray(), 8)).ToArray();

        AssertSame(RunEach(device, model, weights, fixture.Settings, prompts), RunEach(device, model, weights, variant, prompts));
        using var plain = new CudaModelExecutor(device, model, weights, TestOptions.Small(), fixture.Settings);
        using var graphs = new CudaModelExecutor(device, model, weights, TestOptions.Small(), variant);
        AssertSame(StepTrace.Run(plain, plain.Options, prompts, keepLogits: true), StepTrace.Run(graphs, graphs.Options, prompts, keepLogits: true));
        TestReport.Line($"{label}: {prompts.Length} prompts x 8 steps, eager and graphs (batch {prompts.Length}): every logit equal");

        void AssertSame(IReadOnlyDictionary<string, StepTrace.Result> expected, IReadOnlyDictionary<string, StepTrace.Result> actual)
        {
            foreach (var (id, _, _) in prompts)
            {
                Assert.Equal(expected[id].Tokens, actual[id].Tokens);
                for (int step = 0; step < expected[id].Logits.Length; step++)
                    Assert.Equal(expected[id].Logits[step], actual[id].Logits[step]);
            }
        }
    }

    private static Dictionary<string, StepTrace.Result> RunEach(Gpu.GpuDevice device, Models.ModelConfig model, ITensorSource weights,
        CudaExecutorSettings settings, (string, int[], int)[] prompts)
    {
        using var executor = new CudaModelExecutor(device, model, weights, TestOptions.Small(eager: true), settings);
        return prompts.ToDictionary(p => p.Item1, p => StepTrace.Run(executor, executor.Options, [p], keepLogits: true)[p.Item1]);
    }
}
