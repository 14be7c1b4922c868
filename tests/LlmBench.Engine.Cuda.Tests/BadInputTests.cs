using LlmBench.Engine.Loading;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>Mistakes a person can make get one sentence (<see cref="UserErrorException"/>) before any work.</summary>
[Collection(CudaCollection.Name)]
public sealed class BadInputTests(CudaFixture fixture)
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void GpuMemoryUtilizationOutsideZeroToOneIsRefused(double utilization)
    {
        using var model = Dummy(CpuComparisonTests.Config("qwen3"));
        var error = Assert.Throws<UserErrorException>(() =>
            CudaEngine.Create(model, TestOptions.Small() with { GpuMemoryUtilization = utilization }, 0, out _));
        Assert.Contains("--gpu-memory-utilization", error.Message);
    }

    [Fact]
    public void ModelLargerThanTheGpuIsRefused()
    {
        fixture.SkipUnlessGpu();
        var huge = CpuComparisonTests.Config("qwen3") with { HiddenSize = 16384, IntermediateSize = 65536, NumHiddenLayers = 200 };
        using var model = Dummy(huge);
        var error = Assert.Throws<UserErrorException>(() => CudaEngine.Create(model, TestOptions.Small() with { KvCacheMemoryBytes = null }, 0, out _));
        Assert.Contains("cannot hold this model", error.Message);
    }

    [Fact]
    public void MaxModelLenTheCacheCannotHoldIsRefused()
    {
        fixture.SkipUnlessGpu();
        var config = CpuComparisonTests.Config("qwen3");
        using var model = Dummy(config);
        long fourBlocks = 4 * 2L * config.NumHiddenLayers * 16 * config.KvSize * 2;
        var error = Assert.Throws<UserErrorException>(() =>
            CudaEngine.Create(model, TestOptions.Small(maxModelLen: 1000, kvBytes: fourBlocks), 0, out _));
        Assert.Contains("--max-model-len", error.Message);
    }

    [Fact]
    public void EngineGeneratesToMaxTokensAndNamesTheGpu()
    {
        var device = fixture.SkipUnlessGpu();
        using var model = Dummy(CpuComparisonTests.Config("qwen3"));
        using var engine = CudaEngine.Create(model, TestOptions.Small(), 0, out var description);
        Assert.Equal($"cuda:0 {device.Info.Name}", description);
        for (int i = 0; i < 3; i++)
            engine.AddRequest(new Api.GenerationRequest($"r{i}", [5 + i, 17, 300 + i], new Api.SamplingParams { Temperature = 0.8f, TopP = 0.9f, MaxTokens = 10 + i, IgnoreEos = true }));
        var counts = new Dictionary<string, int>();
        for (int step = 0; engine.HasUnfinishedRequests && step < 100; step++)
        {
            foreach (var e in engine.Step())
            {
                Assert.InRange(e.TokenId, 0, 2047);
                counts[e.RequestId] = counts.GetValueOrDefault(e.RequestId) + 1;
            }
        }
        Assert.Equal(new[] { 10, 11, 12 }, counts.OrderBy(kv => kv.Key).Select(kv => kv.Value));
    }

    [Fact]
    public void ProductionFactoryBuildsAnEngineThatOverlapsSteps()
    {
        fixture.SkipUnlessGpu();
        using var model = Dummy(CpuComparisonTests.Config("qwen3"));
        using var engine = CudaEngine.Create(model, TestOptions.Small(), 0, out _);
        Assert.True(engine.Overlapped, "the engine CudaEngine.Create builds must launch step N+1 before collecting step N");
        for (int i = 0; i < 4; i++)
            engine.AddRequest(new Api.GenerationRequest($"r{i}", [3 + i, 40, 500 + i], Api.SamplingParams.Greedy(16, ignoreEos: true)));
        int tokens = 0;
        for (int step = 0; engine.HasUnfinishedRequests && step < 200; step++)
            tokens += engine.Step().Count;
        Assert.Equal(64, tokens);
        Assert.NotNull(engine.Stats.GpuIdleShare);
    }

    private static LoadedModel Dummy(Models.ModelConfig config) => new()
    {
        Config = config,
        Weights = new DummyTensorSource(config, 1),
        IsDummy = true,
        Name = "test",
        Description = "test (dummy weights)",
    };
}
