using LlmBench.Engine.Api;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>
/// The overlapped engine loop (step N+1 launched before step N's tokens are read back, its inputs taken on the GPU):
/// the same greedy tokens as each sequence alone, stop ids honoured one step late without leaking an extra token.
/// </summary>
[Collection(CudaCollection.Name)]
public sealed class OverlapTests(CudaFixture fixture)
{
    private const string Model = "tiny-qwen3-bf16";
    private const int MaxTokens = 24;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EngineMatchesSingleSequencesAndStops(bool overlap)
    {
        var device = fixture.SkipUnlessGpu();
        using var loaded = Golden.Load(Model);
        var prompts = Golden.Cases(Model).Select((c, i) => (Id: $"r{i}", c.PromptIds)).ToArray();
        var single = new Dictionary<string, StepTrace.Result>();
        using (var reference = new CudaModelExecutor(device, loaded.Config, loaded.Weights, TestOptions.Small(eager: true), fixture.Settings with { Overlap = false }))
        {
            foreach (var (id, prompt) in prompts)
                single[id] = StepTrace.Run(reference, reference.Options, [(id, prompt, MaxTokens)], keepLogits: true)[id];
        }
        var executor = new CudaModelExecutor(device, loaded.Config, loaded.Weights, TestOptions.Small(), fixture.Settings with { Overlap = overlap });
        using var engine = new LlmEngine(executor.Options, executor);
        var stops = new Dictionary<string, int>();
        foreach (var (id, prompt) in prompts)
        {
            // Every other request stops at the id its reference produced tenth.
            var sampling = new SamplingParams { Temperature = 0, MaxTokens = MaxTokens, IgnoreEos = true };
            if (stops.Count * 2 <= int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture))
            {
                stops[id] = single[id].Tokens[9];
                sampling = sampling with { StopTokenIds = [stops[id]] };
            }
            engine.AddRequest(new GenerationRequest(id, prompt, sampling));
        }
        var events = new Dictionary<string, List<TokenEvent>>();
        for (int step = 0; engine.HasUnfinishedRequests; step++)
        {
            Assert.True(step < 1000, "the engine did not finish");
            foreach (var e in engine.Step())
                (events.TryGetValue(e.RequestId, out var list) ? list : events[e.RequestId] = []).Add(e);
        }
        int matched = 0, expectedTotal = 0;
        foreach (var (id, _) in prompts)
        {
            var reference = single[id].Tokens;
            int end = stops.TryGetValue(id, out var stop) ? Array.IndexOf(reference, stop) + 1 : reference.Length;
            var expected = reference[..end];
            var actual = events[id].Select(e => e.TokenId).ToArray();
            Assert.Equal(Enumerable.Range(0, actual.Length), events[id].Select(e => e.OutputIndex));
            Assert.All(events[id].SkipLast(1), e => Assert.Null(e.Finish));
            Assert.NotNull(events[id][^1].Finish);
            int same = Compare.GreedyUntilNearTie(expected, actual, single[id].Logits, 0.05f);
            if (same == expected.Length)
            {
                Assert.Equal(expected, actual);
                Assert.Equal(stops.ContainsKey(id) ? FinishReason.Stop : FinishReason.Length, events[id][^1].Finish);
            }
            matched += same;
            expectedTotal += expected.Length;
        }
        var idle = engine.Stats.GpuIdleShare;
        TestReport.Line($"engine, overlap {overlap}: matched {matched}/{expectedTotal} tokens; GPU idle {idle:P1} of step time");
        Assert.InRange(idle!.Value, 0, 1);
        Assert.True(matched >= expectedTotal * 3 / 4, $"only {matched} of {expectedTotal} tokens matched");
    }
}
