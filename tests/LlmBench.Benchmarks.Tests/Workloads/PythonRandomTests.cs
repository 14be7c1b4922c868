using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Tests.Workloads;

// Expected values were printed by CPython 3.11's `random` module for the same seeds.
public class PythonRandomTests
{
    [Fact]
    public void RandInt_MatchesCPython_Seed0()
    {
        var r = new PythonRandom(0);
        Assert.Equal([6311, 6890, 663], new[] { r.RandInt(0, 10000), r.RandInt(0, 10000), r.RandInt(0, 10000) });
        Assert.Equal(0.25891675029296335, r.NextDouble(), 15);
    }

    [Fact]
    public void RandInt_MatchesCPython_OtherSeedAndRange()
    {
        var r = new PythonRandom(12345);
        Assert.Equal([526, 850, 110], new[] { r.RandInt(100, 1024), r.RandInt(100, 1024), r.RandInt(100, 1024) });
    }

    [Fact]
    public void NanoWorkload_ReproducesBenchPyLengthsExactly()
    {
        var w = NanoWorkload.Create();
        Assert.Equal(256, w.Count);
        Assert.Equal(142_827, w.Sum(r => r.PromptIds.Length));
        Assert.Equal(133_966, w.Sum(r => r.OutputTokens));
        Assert.Equal(1024, w.Max(r => r.OutputTokens));
        Assert.Equal([6311, 6890, 663, 4242, 8376], w[0].PromptIds[..5]);
        Assert.Equal(964, w[0].PromptIds.Length);
        Assert.Equal([845, 312, 607], w.Take(3).Select(r => r.OutputTokens));
    }
}
