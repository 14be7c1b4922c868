using LlmBench.Engine.Cpu;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>The CUDA executor against the CPU executor (the numerical reference) on seeded random weights.</summary>
[Collection(CudaCollection.Name)]
public sealed class CpuComparisonTests(CudaFixture fixture)
{
    /// <summary>Qwen3-0.6B's attention geometry (head_dim 128, GQA 2) at a tiny width, and Qwen2 with biases.</summary>
    public static TheoryData<string> Families => new("qwen3", "qwen2");

    [Theory]
    [MemberData(nameof(Families))]
    public void LogitsMatchTheCpuExecutor(string family)
    {
        var device = fixture.SkipUnlessGpu();
        var model = Config(family);
        using var weights = new DummyTensorSource(model, seed: 7);
        var options = TestOptions.Small();
        var random = new Random(3);
        var prompts = new[] { 1, 9, 33, 130 }.Select((n, i) => ($"p{i}", Enumerable.Range(0, n).Select(_ => random.Next(model.VocabSize)).ToArray(), 6)).ToArray();
        using var gpu = new CudaModelExecutor(device, model, weights, options, fixture.Settings);
        using var cpu = new CpuModelExecutor(model, weights, gpu.Options, CpuWeightFormat.Bf16);
        var onGpu = StepTrace.Run(gpu, gpu.Options, prompts, keepLogits: true);
        var onCpu = StepTrace.Run(cpu, gpu.Options, prompts, keepLogits: true);
        float worst = 0;
        foreach (var (id, _, _) in prompts)
        {
            var (a, b) = (onGpu[id].Logits[0], onCpu[id].Logits[0]);
            worst = Math.Max(worst, Compare.MaxAbsDifference(a, b));
            Assert.True(RowCompare.Cosine(a, b) >= 0.999, $"{id}: cosine {RowCompare.Cosine(a, b)}");
            Compare.GreedyUntilNearTie(onCpu[id].Tokens, onGpu[id].Tokens, onCpu[id].Logits, 0.1f);
        }
        TestReport.Line($"{family}: max |logit difference| GPU vs CPU {worst:F4}");
        Assert.True(worst < 0.25f, $"max |logit difference| {worst}");
    }

    internal static ModelConfig Config(string family) => new()
    {
        Family = family == "qwen2" ? ModelFamily.Qwen2 : ModelFamily.Qwen3,
        ModelType = family,
        VocabSize = 2048,
        HiddenSize = 256,
        IntermediateSize = 512,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = family == "qwen2" ? 64 : 128,
        MaxPositionEmbeddings = 1024,
        RopeTheta = 1_000_000,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = family != "qwen2",
        QkNorm = family != "qwen2",
        AttentionBias = family == "qwen2",
    };
}
