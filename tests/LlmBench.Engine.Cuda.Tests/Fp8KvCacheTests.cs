using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>--kv-cache-dtype fp8: the same model through an fp8 cache against the bf16 cache (Ada/Hopper only).</summary>
[Collection(CudaCollection.Name)]
public sealed class Fp8KvCacheTests(CudaFixture fixture)
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "qwen3", false },
        { "qwen3", true },
        { "qwen2", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogitsStayCloseToTheBf16Cache(string family, bool calculateScales)
    {
        var device = SkipUnlessFp8();
        var model = CpuComparisonTests.Config(family);
        using var weights = new DummyTensorSource(model, seed: 7);
        var random = new Random(5);
        var prompts = new[] { 1, 17, 130, 300 }.Select((n, i) => ($"p{i}", Enumerable.Range(0, n).Select(_ => random.Next(model.VocabSize)).ToArray(), 8)).ToArray();
        var bf16Options = TestOptions.Small();
        var fp8Options = bf16Options with { KvCacheDtype = KvCacheDtype.Fp8, CalculateKvScales = calculateScales };
        using var bf16 = new CudaModelExecutor(device, model, weights, bf16Options, fixture.Settings);
        using var fp8 = new CudaModelExecutor(device, model, weights, fp8Options, fixture.Settings);
        var reference = StepTrace.Run(bf16, bf16.Options, prompts, keepLogits: true);
        var got = StepTrace.Run(fp8, fp8.Options, prompts, keepLogits: true);
        double worst = 1;
        foreach (var (id, _, _) in prompts)
        {
            var cosine = RowCompare.Cosine(got[id].Logits[0], reference[id].Logits[0]);
            worst = Math.Min(worst, cosine);
            Assert.True(cosine >= 0.995, $"{id}: last-position cosine {cosine} against the bf16 cache");
            Compare.GreedyUntilNearTie(reference[id].Tokens, got[id].Tokens, reference[id].Logits, 0.5f);
        }
        if (calculateScales)
            Assert.Contains(fp8.KvCacheScales, s => s != 1f);
        else
            Assert.All(fp8.KvCacheScales, s => Assert.Equal(1f, s));
        TestReport.Line($"{family} fp8 KV (calculated scales: {calculateScales}): worst last-position cosine vs bf16 cache {worst:F5}");
    }

    [Fact]
    public void TheSameMemoryHoldsTwiceTheBlocks()
    {
        var device = SkipUnlessFp8();
        var model = CpuComparisonTests.Config("qwen3");
        using var weights = new DummyTensorSource(model, seed: 7);
        var options = TestOptions.Small(maxModelLen: 128);
        using var bf16 = new CudaModelExecutor(device, model, weights, options, fixture.Settings);
        using var fp8 = new CudaModelExecutor(device, model, weights, options with { KvCacheDtype = KvCacheDtype.Fp8 }, fixture.Settings);
        Assert.Equal(KvCacheDtype.Fp8, fp8.KvCacheDtype);
        Assert.Equal(2 * bf16.NumKvBlocks, fp8.NumKvBlocks);
    }

    private LlmBench.Gpu.GpuDevice SkipUnlessFp8()
    {
        var device = fixture.SkipUnlessGpu();
        Assert.SkipUnless(device.Info.ComputeCapability.SupportsFp8, $"{device.Info.Name} has no fp8");
        return device;
    }
}
