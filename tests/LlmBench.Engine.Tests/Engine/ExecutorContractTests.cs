using LlmBench.Engine.Api;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Engine;

/// <summary>
/// The engine the production factory builds (<see cref="LlmEngine.CreateWarmedUp"/>, which the CUDA factory calls)
/// runs the executor the way the executor offers: overlapped when it overlaps, with the same tokens as the
/// synchronous loop, and it owns the executor.
/// </summary>
public class ExecutorContractTests
{
    private static readonly EngineOptions Options = new() { MaxNumSeqs = 4, MaxNumBatchedTokens = 32, MaxModelLen = 64 };

    private static Dictionary<string, int[]> Generate(bool overlap, out CountingExecutor executor)
    {
        var model = TinyModels.Qwen3();
        var resolved = Options.ResolveFor(model, 64);
        executor = new CountingExecutor(model, 64, overlap);
        using var engine = LlmEngine.CreateWarmedUp(resolved, executor);
        Assert.Equal(overlap, engine.Overlapped);
        for (int i = 0; i < 3; i++)
            engine.AddRequest(new GenerationRequest($"r{i}", TinyModels.Prompt(5 + 7 * i, i), SamplingParams.Greedy(6 + i, ignoreEos: true)));
        var outputs = new Dictionary<string, List<int>>();
        for (int step = 0; engine.HasUnfinishedRequests; step++)
        {
            Assert.True(step < 200, "the engine did not finish");
            foreach (var e in engine.Step())
                (outputs.TryGetValue(e.RequestId, out var list) ? list : outputs[e.RequestId] = []).Add(e.TokenId);
        }
        return outputs.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    [Fact]
    public void ProductionFactory_RunsAnOverlappingExecutorOverlapped()
    {
        var overlapped = Generate(overlap: true, out var executor);
        Assert.Equal(0, executor.Executes);
        Assert.True(executor.Launches >= 8, $"only {executor.Launches} launches");
        Assert.Equal(executor.Launches, executor.Collects);
        Assert.True(executor.Disposed, "disposing the engine must dispose the executor it owns");

        var synchronous = Generate(overlap: false, out var sync);
        Assert.Equal(0, sync.Launches);
        Assert.True(sync.Executes >= 8);
        Assert.Equal(synchronous.Keys.Order(), overlapped.Keys.Order());
        foreach (var (id, tokens) in synchronous)
        {
            Assert.Equal(tokens, overlapped[id]);
            Assert.Equal(6 + int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture), tokens.Length);
        }
    }

    [Fact]
    public void ProductionFactory_DisposesTheExecutorWhenTheEngineCannotBeBuilt()
    {
        var model = TinyModels.Qwen3();
        var executor = new CountingExecutor(model, 10, overlap: true);
        Assert.Throws<ArgumentException>(() => LlmEngine.CreateWarmedUp(Options.ResolveFor(model, 64), executor));
        Assert.True(executor.Disposed);
    }

    [Fact]
    public void CpuExecutor_SaysItDoesNotOverlap()
    {
        using var engine = CpuEngine.Create(TinyModels.Qwen3(), new RandomTensorSource(TinyModels.Qwen3(), 1), Options);
        Assert.False(engine.Overlapped);
    }
}
