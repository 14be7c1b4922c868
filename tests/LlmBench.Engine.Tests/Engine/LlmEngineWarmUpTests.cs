using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Engine;

public class LlmEngineWarmUpTests
{
    private static readonly EngineOptions Small = new() { MaxNumSeqs = 4, MaxNumBatchedTokens = 48, MaxModelLen = 96, Seed = 7 };

    private static LlmEngine Create()
    {
        var model = TinyModels.Qwen3();
        return CpuEngine.Create(model, new RandomTensorSource(model, 1), Small);
    }

    private static Dictionary<string, int[]> Run(LlmEngine engine)
    {
        // Unseeded sampling draws each request's seed from the engine's request numbering, which the warm-up must not move.
        engine.AddRequest(new GenerationRequest("sampled", TinyModels.Prompt(20, 3), new SamplingParams { Temperature = 0.8f, MaxTokens = 12, IgnoreEos = true }));
        engine.AddRequest(new GenerationRequest("greedy", TinyModels.Prompt(33, 4), SamplingParams.Greedy(12, ignoreEos: true)));
        return EngineDriver.RunToCompletion(engine).ToDictionary(p => p.Key, p => p.Value.Select(e => e.TokenId).ToArray());
    }

    [Fact]
    public void WarmUp_RunsAFullStep_ThenLeavesNoTrace()
    {
        using var fresh = Create();
        var expected = Run(fresh);

        using var warmed = Create();
        warmed.WarmUpLargestStep();

        Assert.False(warmed.HasUnfinishedRequests);
        Assert.Equal(0, warmed.Stats.PromptTokensTotal);
        Assert.Equal(0, warmed.Stats.GenerationTokensTotal);
        Assert.Equal(0, warmed.Counters.Steps);
        Assert.Equal(0.0, warmed.Stats.KvCacheUsage);
        var actual = Run(warmed);
        Assert.Equal(expected["sampled"], actual["sampled"]);
        Assert.Equal(expected["greedy"], actual["greedy"]);
        Assert.Equal(20 + 33, warmed.Stats.PromptTokensTotal);
    }

    [Fact]
    public void WarmUp_OnAnEngineThatHasServed_IsRefused()
    {
        using var engine = Create();
        Run(engine);
        Assert.Throws<InvalidOperationException>(engine.WarmUpLargestStep);
    }
}
