using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Engine;

/// <summary>Both step loops hand each token the log probabilities the executor computed for it (the overlapped one a step later, with its token).</summary>
public class LogprobsPassThroughTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_token_gets_the_executors_logprobs_and_requests_that_did_not_ask_get_none(bool overlap)
    {
        var model = TinyModels.Qwen3();
        var options = new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 32, MaxModelLen = 64 }.ResolveFor(model, 64);
        var executor = new CountingExecutor(model, 64, overlap, computesLogprobs: true);
        using var engine = LlmEngine.CreateWarmedUp(options, executor);
        Assert.True(engine.ComputesLogprobs);

        engine.AddRequest(new GenerationRequest("asks", TinyModels.Prompt(5, 0), SamplingParams.Greedy(6, ignoreEos: true) with { Logprobs = 3 }));
        engine.AddRequest(new GenerationRequest("plain", TinyModels.Prompt(7, 1), SamplingParams.Greedy(6, ignoreEos: true)));
        var events = EngineDriver.RunToCompletion(engine);

        Assert.Equal(overlap, executor.Collects > 0);
        var asked = events["asks"].Where(e => e.TokenId >= 0).ToList();
        Assert.Equal(6, asked.Count);
        foreach (var e in asked)
        {
            var expected = CountingExecutor.LogprobsOf(e.TokenId, 3);
            Assert.NotNull(e.Logprobs);
            Assert.Equal(expected.Logprob, e.Logprobs.Logprob);
            Assert.Equal(expected.Top, e.Logprobs.Top);
        }
        Assert.All(events["plain"], e => Assert.Null(e.Logprobs));
    }
}
