using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>--quantization fp8: the layers' linear weights in e4m3 with per-row scales, against bf16 (Ada/Hopper only).</summary>
[Collection(CudaCollection.Name)]
public sealed class Fp8WeightsTests(CudaFixture fixture)
{
    [Theory]
    [InlineData("qwen3", false, Fp8LargeStepGemm.Fp8)]
    [InlineData("qwen3", true, Fp8LargeStepGemm.Fp8)]
    [InlineData("qwen2", false, Fp8LargeStepGemm.Fp8)]
    [InlineData("qwen3", false, Fp8LargeStepGemm.Dequantize)]
    public void LogitsStayCloseToTheBf16Weights(string family, bool fuseNorms, Fp8LargeStepGemm gemm)
    {
        // Prompts of 1 to 300 tokens: the prefill runs the GEMV path (up to 8 tokens) or cuBLASLt (longer: fp8 × fp8
        // with per-token activation scales, or weights turned back into bf16), and the 8 decode steps run the GEMVs
        // reading fp8, eagerly and from graphs.
        var device = SkipUnlessFp8();
        var model = CpuComparisonTests.Config(family);
        using var weights = new DummyTensorSource(model, seed: 11);
        var random = new Random(6);
        var prompts = new[] { 1, 5, 17, 300 }.Select((n, i) => ($"p{i}", Enumerable.Range(0, n).Select(_ => random.Next(model.VocabSize)).ToArray(), 8)).ToArray();
        var bf16Options = TestOptions.Small();
        var settings = fixture.Settings with { FuseNormsIntoGemv = fuseNorms, Fp8Gemm = gemm };
        using var bf16 = new CudaModelExecutor(device, model, weights, bf16Options, settings);
        using var fp8 = new CudaModelExecutor(device, model, weights, bf16Options with { Quantization = WeightQuantization.Fp8 }, settings);
        Assert.Null(bf16.Fp8Gemm);
        if (gemm == Fp8LargeStepGemm.Dequantize || device.Info.ComputeCapability.Major >= 9)
            Assert.Equal(gemm, fp8.Fp8Gemm); // Hopper's cuBLASLt has the vector-scaled fp8 kernels; no silent fallback there
        var reference = StepTrace.Run(bf16, bf16.Options, prompts, keepLogits: true);
        var got = StepTrace.Run(fp8, fp8.Options, prompts, keepLogits: true);
        // Each run follows its own greedy tokens, so a step is compared only while both have chosen the same tokens
        // before it (dummy weights give flat logits, where fp8 can flip a near-tie); the prefill step always is.
        double worst = 1;
        int compared = 0;
        foreach (var (id, _, _) in prompts)
        {
            for (int step = 0; step < reference[id].Logits.Length; step++)
            {
                if (step > 0 && got[id].Tokens[step - 1] != reference[id].Tokens[step - 1])
                    break;
                var cosine = RowCompare.Cosine(got[id].Logits[step], reference[id].Logits[step]);
                worst = Math.Min(worst, cosine);
                compared++;
                Assert.True(cosine >= 0.99, $"{id} step {step}: cosine {cosine} against bf16 weights");
            }
        }
        TestReport.Line($"{family} fp8 weights (fused norms: {fuseNorms}, large steps {fp8.Fp8Gemm}): worst cosine vs bf16 weights {worst:F5} over {compared} steps of {prompts.Length} prompts x 8 with the same tokens before them");
    }

    [Fact]
    public void The_weights_take_about_half_the_memory()
    {
        var model = CpuComparisonTests.Config("qwen3");
        long bf16 = GpuModelWeights.SizeBytes(model);
        long fp8 = GpuModelWeights.SizeBytes(model, WeightQuantization.Fp8);
        long h = model.HiddenSize;
        long linear = model.NumHiddenLayers * (h * (model.QSize + 2L * model.KvSize) + h * model.QSize + 3L * h * model.IntermediateSize);
        long rows = model.NumHiddenLayers * (model.QSize + 2L * model.KvSize + 2 * h + 2L * model.IntermediateSize);
        Assert.Equal(bf16 - linear + 4 * rows, fp8); // one byte per linear weight instead of two, plus a 4-byte scale per row
    }

    private LlmBench.Gpu.GpuDevice SkipUnlessFp8()
    {
        var device = fixture.SkipUnlessGpu();
        Assert.SkipUnless(device.Info.ComputeCapability.SupportsFp8, $"{device.Info.Name} has no fp8");
        return device;
    }
}
