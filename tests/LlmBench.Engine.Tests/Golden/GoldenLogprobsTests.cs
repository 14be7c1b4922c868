using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Sampling;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Golden;

/// <summary>
/// Log probabilities from the CPU engine against the references: at the first generated token, log_softmax of the logits
/// transformers saved (golden.json's last_logits); at every later token, log_softmax of the logits row the engine's own
/// executor gives for that position (GreedyTrace), so sampling, bans and batching cannot have touched them.
/// </summary>
public class GoldenLogprobsTests
{
    private const int Top = 5;

    /// <summary>The fp32 logits agree with transformers' within 1e-3 (GoldenFixtureTests); a log_softmax moves each by
    /// the same normalizer, whose error is bounded by the same 1e-3, so 2e-3 covers both.</summary>
    private const double Tolerance = 2e-3;

    [Theory]
    [InlineData("tiny-qwen3")]
    [InlineData("tiny-qwen2")]
    public void First_token_logprobs_equal_log_softmax_of_transformers_logits(string name)
    {
        var fixture = GoldenFixture.Read(name);
        var events = Generate(fixture, c => SamplingParams.Greedy(4, ignoreEos: true) with { Logprobs = Top });
        for (int i = 0; i < fixture.Cases.Length; i++)
        {
            var golden = fixture.Cases[i];
            var reference = LogprobCalculatorTests.LogSoftmax(golden.LastLogits);
            var first = events[$"case{i}"][0];
            Assert.Equal(golden.GreedyIds[0], first.TokenId);
            AssertLogprobs(reference, first, Tolerance);
        }
    }

    [Fact]
    public void Every_tokens_logprobs_are_raw_whatever_the_sampling_and_bans()
    {
        var fixture = GoldenFixture.Read("tiny-qwen3");
        using var model = fixture.Load();
        var traced = GreedyTrace.Run(model.Config, model.Weights, GreedyTrace.Options(maxBatchedTokens: 256, maxModelLen: 512),
            fixture.Cases.Select((c, i) => ($"case{i}", c.PromptIds, c.GreedyIds.Length)));
        // Greedy with every EOS banned by min_tokens, and a sampled run at temperature 0.7 with top-k: the log
        // probabilities are the model's, before any of that.
        var greedy = Generate(fixture, c => SamplingParams.Greedy(c.GreedyIds.Length, ignoreEos: false) with { Logprobs = 2, MinTokens = c.GreedyIds.Length });
        for (int i = 0; i < fixture.Cases.Length; i++)
        {
            var trace = traced[$"case{i}"];
            var tokens = greedy[$"case{i}"];
            Assert.Equal(trace.Tokens, tokens.Select(e => e.TokenId));
            for (int t = 0; t < tokens.Count; t++)
                AssertLogprobs(LogprobCalculatorTests.LogSoftmax(trace.Logits[t]), tokens[t], 1e-5);
        }

        var sampled = Generate(fixture, c => new SamplingParams { Temperature = 0.7f, TopK = 8, Seed = 7, MaxTokens = 6, IgnoreEos = true, Logprobs = 3 });
        Assert.All(sampled.Values.SelectMany(e => e), e =>
        {
            var logprobs = Assert.IsType<TokenLogprobs>(e.Logprobs);
            Assert.Equal(3, logprobs.Top.Count);
            Assert.True(logprobs.Logprob <= logprobs.Top[0].Logprob + 1e-6, "no token is more likely than the most likely one");
        });
    }

    [Fact]
    public void Requests_without_logprobs_get_none()
    {
        var fixture = GoldenFixture.Read("tiny-qwen3");
        var events = Generate(fixture, c => SamplingParams.Greedy(3, ignoreEos: true));
        Assert.All(events.Values.SelectMany(e => e), e => Assert.Null(e.Logprobs));
    }

    private static void AssertLogprobs(double[] reference, TokenEvent tokenEvent, double tolerance)
    {
        var logprobs = Assert.IsType<TokenLogprobs>(tokenEvent.Logprobs);
        Assert.Equal(reference[tokenEvent.TokenId], logprobs.Logprob, tolerance);
        var expectedTop = reference.Select((lp, id) => (lp, id)).OrderByDescending(p => p.lp).ThenBy(p => p.id).Take(logprobs.Top.Count).ToArray();
        for (int k = 0; k < logprobs.Top.Count; k++)
        {
            Assert.Equal(expectedTop[k].lp, logprobs.Top[k].Logprob, tolerance);
            // Ids may swap only where transformers' two candidates are closer than the tolerance.
            if (logprobs.Top[k].TokenId != expectedTop[k].id)
                Assert.InRange(Math.Abs(reference[logprobs.Top[k].TokenId] - expectedTop[k].lp), 0, 2 * tolerance);
        }
    }

    private static Dictionary<string, List<TokenEvent>> Generate(GoldenFixture fixture, Func<GoldenCase, SamplingParams> sampling)
    {
        using var model = fixture.Load();
        using var engine = CpuEngine.Create(model.Config, model.Weights, new EngineOptions
        {
            MaxNumSeqs = 8,
            MaxNumBatchedTokens = 256,
            MaxModelLen = 512,
            KvCacheMemoryBytes = 64L << 20,
        });
        Assert.True(engine.ComputesLogprobs);
        for (int i = 0; i < fixture.Cases.Length; i++)
            engine.AddRequest(new GenerationRequest($"case{i}", fixture.Cases[i].PromptIds, sampling(fixture.Cases[i])));
        return EngineDriver.RunToCompletion(engine).ToDictionary(p => p.Key, p => p.Value.Where(e => e.TokenId >= 0).ToList());
    }
}
