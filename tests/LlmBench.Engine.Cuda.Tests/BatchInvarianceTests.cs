using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>
/// A sequence's greedy output does not depend on what else runs with it: batched, chunked, preempted and
/// graph-replayed runs agree with each sequence run alone (until a near-tie, where bf16 rounding may swap them).
/// </summary>
[Collection(CudaCollection.Name)]
public sealed class BatchInvarianceTests(CudaFixture fixture)
{
    private const string Model = "tiny-qwen3-bf16";
    private const int OutputTokens = 24;
    private const float TieTolerance = 0.05f;

    [Fact]
    public void BatchedWithGraphsMatchesSingle() => CheckAgainstSingle(TestOptions.Small(), "batched, graphs");

    [Fact]
    public void BatchedEagerMatchesSingle() => CheckAgainstSingle(TestOptions.Small(eager: true), "batched, eager");

    [Fact]
    public void ChunkedPrefillMatchesSingle() => CheckAgainstSingle(TestOptions.Small(maxBatchedTokens: 32), "chunked prefill");

    [Fact]
    public void PreemptedRunMatchesSingle()
    {
        // Eight 40-token prompts take 3 blocks each (24) and are all admitted into 26 blocks; growing to 64 tokens
        // (4 blocks each) they run out, and the scheduler preempts some to recompute them later.
        var forty = Golden.Cases(Model).Single(c => c.PromptIds.Length == 40).PromptIds;
        var prompts = Enumerable.Range(0, 8).Select(i => ($"p{i}", forty.Select((t, j) => j == 0 ? (t + 97 * i) % 1024 : t).ToArray(), OutputTokens)).ToArray();
        var options = TestOptions.Small(kvBytes: 26 * BytesPerBlock());
        long preemptions = CheckAgainstSingle(options, "preempted", prompts);
        Assert.True(preemptions > 0, "the small cache was expected to force preemption");
    }

    private long CheckAgainstSingle(EngineOptions options, string what, (string, int[], int)[]? requests = null)
    {
        var device = fixture.SkipUnlessGpu();
        using var loaded = Golden.Load(Model);
        var prompts = requests ?? Golden.Cases(Model).Select((c, i) => ($"r{i}", c.PromptIds, OutputTokens)).ToArray();
        Dictionary<string, StepTrace.Result> single = [];
        using (var reference = new CudaModelExecutor(device, loaded.Config, loaded.Weights, TestOptions.Small(eager: true), fixture.Settings))
        {
            foreach (var prompt in prompts)
                single[prompt.Item1] = StepTrace.Run(reference, reference.Options, [prompt], keepLogits: true)[prompt.Item1];
        }
        using var executor = new CudaModelExecutor(device, loaded.Config, loaded.Weights, options, fixture.Settings);
        Assert.Equal(!options.EnforceEager, executor.CapturedGraphs > 0);
        long preemptions = 0;
        var batched = StepTrace.Run(executor, executor.Options, prompts, keepLogits: false, s => preemptions = s.Counters.Preemptions);
        int matched = 0;
        foreach (var (id, _, _) in prompts)
        {
            Assert.Equal(OutputTokens, batched[id].Tokens.Length);
            matched += Compare.GreedyUntilNearTie(single[id].Tokens, batched[id].Tokens, single[id].Logits, TieTolerance);
        }
        TestReport.Line($"{what}: matched {matched}/{prompts.Length * OutputTokens} tokens; preemptions {preemptions}");
        Assert.True(matched >= prompts.Length * OutputTokens * 3 / 4, $"only {matched} tokens matched the single-sequence runs");
        return preemptions;
    }

    private static long BytesPerBlock()
    {
        using var loaded = Golden.Load(Model);
        var c = loaded.Config;
        return 2L * c.NumHiddenLayers * 16 * c.KvSize * 2;
    }
}
