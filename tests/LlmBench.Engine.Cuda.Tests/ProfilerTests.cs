using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Loading;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>The step profiler: every call of a pass is timed and named, and profiling a step changes no token.</summary>
[Collection(CudaCollection.Name)]
public sealed class ProfilerTests(CudaFixture fixture)
{
    [Fact]
    public void ProfilingAStepLeavesGenerationUnchanged()
    {
        var device = fixture.SkipUnlessGpu();
        var config = CpuComparisonTests.Config("qwen3");
        string[] Run(bool profile)
        {
            var executor = new CudaModelExecutor(device, config, new DummyTensorSource(config, 1), TestOptions.Small(), fixture.Settings with { Overlap = false });
            using var engine = new LlmEngine(executor.Options, executor);
            for (int i = 0; i < 3; i++)
                engine.AddRequest(new GenerationRequest($"r{i}", [7 + i, 70, 700 + i, 3], SamplingParams.Greedy(12, ignoreEos: true)));
            var tokens = new List<string>();
            for (int step = 0; engine.HasUnfinishedRequests; step++)
            {
                if (profile && step % 3 == 0)
                    executor.ProfileNextStep();
                tokens.AddRange(engine.Step().Select(e => $"{e.RequestId}:{e.TokenId}"));
                if (profile && step % 3 == 0)
                    Assert.NotNull(executor.LastProfile);
            }
            return [.. tokens];
        }

        Assert.Equal(Run(profile: false), Run(profile: true));
    }

    [Fact]
    public void ProfilerTimesEveryCallOfPrefillAndDecode()
    {
        fixture.SkipUnlessGpu();
        var config = CpuComparisonTests.Config("qwen3");
        using var model = new LoadedModel { Config = config, Weights = new DummyTensorSource(config, 1), IsDummy = true, Name = "test", Description = "test" };
        var run = CudaStepProfiler.Run(model, TestOptions.Small(), 0, new ProfileRequest(BatchSize: 4, InputLen: 40, OutputLen: 16), fixture.Settings);

        Assert.Equal(4, run.Decode.DecodeSequences);
        Assert.Equal(160, run.Prefill.PrefillTokens);
        Assert.InRange(run.DecodeContext, 48, 56);
        foreach (var profile in new[] { run.Prefill, run.Decode })
        {
            Assert.All(profile.Calls, c => Assert.True(c.Milliseconds > 0, $"{c.Role} layer {c.Layer}: {c.Milliseconds} ms"));
            Assert.Equal(config.NumHiddenLayers, profile.Calls.Count(c => c.Role == KernelRole.Qkv));
            Assert.Single(profile.Calls, c => c.Role == KernelRole.LmHead);
        }
        Assert.Equal(config.NumHiddenLayers, run.Decode.Calls.Count(c => c.Role == KernelRole.DecodeAttention));
        Assert.Equal(config.NumHiddenLayers, run.Prefill.Calls.Count(c => c.Role == KernelRole.PrefillAttention));
        Assert.True(run.DecodeStepGpuMs > 0);
        TestReport.Line($"profiler (tiny qwen3, bs 4): decode pass {run.Decode.KernelMilliseconds:0.000} ms in {run.Decode.Calls.Count} calls, production step {run.DecodeStepGpuMs:0.000} ms");
    }
}
