using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Engine;

/// <summary>An engine over a backend that does not compute log probabilities refuses them in one sentence, on both step loops.</summary>
public class LogprobsRefusalTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_executor_without_logprobs_refuses_a_request_for_them_and_runs_the_rest(bool overlap)
    {
        var model = TinyModels.Qwen3();
        var options = new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 32, MaxModelLen = 64 }.ResolveFor(model, 64);
        using var engine = LlmEngine.CreateWarmedUp(options, new CountingExecutor(model, 64, overlap));

        Assert.False(engine.ComputesLogprobs);
        var error = Assert.Throws<ArgumentException>(() => engine.AddRequest(
            new GenerationRequest("asks", TinyModels.Prompt(5, 0), SamplingParams.Greedy(3) with { Logprobs = 0 })));
        Assert.StartsWith(LlmEngine.LogprobsUnsupported, error.Message, StringComparison.Ordinal);

        engine.AddRequest(new GenerationRequest("plain", TinyModels.Prompt(5, 0), SamplingParams.Greedy(3, ignoreEos: true)));
        var events = EngineDriver.RunToCompletion(engine);
        Assert.Equal(["plain"], events.Keys);
        Assert.All(events["plain"], e => Assert.Null(e.Logprobs));
    }
}
