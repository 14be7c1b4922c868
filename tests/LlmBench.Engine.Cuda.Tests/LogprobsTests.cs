using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>
/// Log probabilities from the GPU (logprobs.cu, through the engine: replayed graphs, eager passes, the overlapped
/// loop) against the CPU's <see cref="LogprobCalculator"/> on the logits rows a synchronous executor returns for the
/// same batch of requests and tokens. Values may differ by 1e-4 + 1e-5·|value| (fp32 sums in another order, over bf16 logits that
/// are the same bits); ids must match, except that two ranks may swap where their log probabilities are that close.
/// </summary>
[Collection(CudaCollection.Name)]
public sealed class LogprobsTests(CudaFixture fixture)
{
    private const string Model = "tiny-qwen3-bf16";
    private const int MaxTokens = 12;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Engine_logprobs_match_the_cpu_calculator_on_the_same_logits(bool eager, bool overlap)
    {
        var device = fixture.SkipUnlessGpu();
        using var loaded = Golden.Load(Model);
        var prompts = Golden.Cases(Model).Take(4).Select((c, i) => (Id: $"r{i}", c.PromptIds)).ToArray();
        // The reference logits come from the same batch of four, scheduled the same way and run the same way (eager
        // or from graphs): a row computed in another batch can differ by a bf16 ulp, which is not what is tested here.
        Dictionary<string, StepTrace.Result> single;
        using (var reference = new CudaModelExecutor(device, loaded.Config, loaded.Weights, TestOptions.Small(eager: eager), fixture.Settings with { Overlap = false }))
            single = StepTrace.Run(reference, reference.Options, prompts.Select(p => (p.Id, p.PromptIds, MaxTokens)), keepLogits: true);
        var executor = new CudaModelExecutor(device, loaded.Config, loaded.Weights, TestOptions.Small(eager: eager), fixture.Settings with { Overlap = overlap });
        using var engine = new LlmEngine(executor.Options, executor);
        Assert.True(engine.ComputesLogprobs);
        int?[] asks = [20, 5, null, 0];
        for (int i = 0; i < prompts.Length; i++)
        {
            engine.AddRequest(new GenerationRequest(prompts[i].Id, prompts[i].PromptIds,
                new SamplingParams { Temperature = 0, MaxTokens = MaxTokens, IgnoreEos = true, Logprobs = asks[i % asks.Length] }));
        }
        var events = new Dictionary<string, List<TokenEvent>>();
        for (int step = 0; engine.HasUnfinishedRequests; step++)
        {
            Assert.True(step < 1000, "the engine did not finish");
            foreach (var e in engine.Step())
                (events.TryGetValue(e.RequestId, out var list) ? list : events[e.RequestId] = []).Add(e);
        }

        var calculator = new LogprobCalculator(loaded.Config.VocabSize);
        for (int i = 0; i < prompts.Length; i++)
        {
            var (id, _) = prompts[i];
            var tokens = events[id].Where(e => e.TokenId >= 0).ToList();
            Assert.Equal(single[id].Tokens, tokens.Select(e => e.TokenId));
            if (asks[i % asks.Length] is not { } count)
            {
                Assert.All(tokens, e => Assert.Null(e.Logprobs));
                continue;
            }
            foreach (var e in tokens)
            {
                var row = single[id].Logits[e.OutputIndex];
                var expected = calculator.Measure(row, count).For(row[e.TokenId]);
                Assert.NotNull(e.Logprobs);
                AssertClose(expected.Logprob, e.Logprobs.Logprob);
                Assert.Equal(expected.Top.Count, e.Logprobs.Top.Count);
                for (int t = 0; t < count; t++)
                {
                    AssertClose(expected.Top[t].Logprob, e.Logprobs.Top[t].Logprob);
                    if (expected.Top[t].TokenId != e.Logprobs.Top[t].TokenId)
                        AssertClose(row[expected.Top[t].TokenId], row[e.Logprobs.Top[t].TokenId]); // a near-tie swapped
                }
            }
        }
    }

    private static void AssertClose(float expected, float got) =>
        Assert.InRange(Math.Abs(got - expected), 0, 1e-4 + (1e-5 * Math.Abs(expected)));
}
