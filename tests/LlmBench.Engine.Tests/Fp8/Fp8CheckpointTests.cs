using LlmBench.Engine.Api;
using LlmBench.Engine.Loading;
using LlmBench.Engine.Models;
using LlmBench.Engine.Tests.Formats;
using LlmBench.Engine.Tests.Golden;
using LlmBench.Engine.Tests.Support;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Fp8;

/// <summary>
/// A block-scaled fp8 checkpoint made from the tiny-qwen3 fixture (fp32, saved by transformers), through the real loader
/// and CPU executor: its logits must equal those of the same fp8 weights dequantized by the test and saved as fp32 (the
/// same arithmetic, so bit for bit), and lie within fp8's error of the original model's.
/// </summary>
public class Fp8CheckpointTests(ITestOutputHelper output)
{
    /// <summary>
    /// e4m3 keeps 3 mantissa bits, so rounding moves each weight by up to 2^-4 of itself (about 3% rms), independently
    /// per weight; through 3 layers that noise moved the last-position logits of tiny-qwen3 (range about ±4) by at most
    /// 0.48 (128×128 blocks, fp32 scales) and 0.67 (48×80, bf16 scales), with cosines of 0.990 and 0.983 at worst
    /// (the 40-token prompt), when this test was written. The bounds, 1.0 and 0.97, leave room for that and no more:
    /// a scale applied to the wrong block or left out moves logits by whole units.
    /// </summary>
    private const float Fp8LogitTolerance = 1.0f;

    private const double Fp8MinCosine = 0.97;

    public static TheoryData<int, int, string> Blocks => new()
    {
        { 128, 128, "F32" }, // Qwen3-FP8's block, whole blocks here (hidden 128)
        { 48, 80, "BF16" },  // partial blocks at the edges of every matrix, bf16 scales
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Logits_EqualTheDequantizedFp32Checkpoint_Exactly_AndTheOriginalWithinFp8Error(int blockRows, int blockColumns, string scaleDType)
    {
        using var dirs = new ConfigScratchDirectory();
        var fixture = GoldenFixture.Read("tiny-qwen3");
        Fp8CheckpointBuilder.Write(fixture.Directory, dirs.File("fp8"), dirs.File("dequantized"), blockRows, blockColumns, scaleDType);

        var fp8 = LastLogits(dirs.File("fp8"), fixture);
        var dequantized = LastLogits(dirs.File("dequantized"), fixture);
        var original = LastLogits(fixture.Directory, fixture);
        for (int i = 0; i < fp8.Length; i++)
        {
            Assert.Equal(dequantized[i], fp8[i]); // bit for bit: the loader's dequantization is the test's
            float error = GreedyTrace.MaxAbsDifference(fp8[i], original[i]);
            double cosine = RowCompare.Cosine(fp8[i], original[i]);
            output.WriteLine($"blocks {blockRows}×{blockColumns} {scaleDType} scales, prompt {fixture.Cases[i].PromptIds.Length}: max |Δ logit| vs the fp32 original {error:F4}, cosine {cosine:F6}");
            Assert.InRange(error, 1e-6f, Fp8LogitTolerance); // above 0: the fp8 weights differ from the original ones
            Assert.True(cosine >= Fp8MinCosine, $"cosine {cosine}");
        }
    }

    [Fact]
    public void TheLoader_ReadsQuantizationConfig_AndShowsTheWeightsDequantized()
    {
        using var dirs = new ConfigScratchDirectory();
        var fixture = GoldenFixture.Read("tiny-qwen3");
        Fp8CheckpointBuilder.Write(fixture.Directory, dirs.File("fp8"), dirs.File("dequantized"), 128, 128,
            extraConfig: new() { ["modules_to_not_convert"] = new System.Text.Json.Nodes.JsonArray("lm_head") });
        using var model = Load(dirs.File("fp8"));

        var quantization = model.Config.Quantization!;
        Assert.Equal((128, 128, "dynamic"), (quantization.BlockRows, quantization.BlockColumns, quantization.ActivationScheme));
        Assert.Equal(["lm_head"], quantization.ModulesToNotConvert);
        var q = model.Weights.GetInfo("model.layers.0.self_attn.q_proj.weight");
        Assert.Equal(TensorDType.F32, q.DType);
        Assert.Equal(TensorDType.F32, model.Weights.GetInfo(ModelTensorLayout.EmbedTokens).DType); // untouched
        Assert.DoesNotContain(model.Weights.Names, n => n.EndsWith("_scale_inv", StringComparison.Ordinal));
        Assert.False(model.Weights.Contains("model.layers.0.self_attn.q_proj.weight_scale_inv"));
        Assert.Equal(3 * 7, ((BlockFp8TensorSource)model.Weights).Dequantized.Count);
        Assert.Contains("fp8_e4m3, blocks 128×128, dequantized at load", model.Description);
    }

    /// <summary>The CPU engine runs an fp8 checkpoint dequantized to fp32 (--quantization auto resolves to none there).</summary>
    [Fact]
    public void TheCpuEngine_RunsAnFp8Checkpoint_Dequantized_AndSaysNone()
    {
        using var dirs = new ConfigScratchDirectory();
        var fixture = GoldenFixture.Read("tiny-qwen3");
        Fp8CheckpointBuilder.Write(fixture.Directory, dirs.File("fp8"), dirs.File("dequantized"), 128, 128);
        int[] Greedy(string directory)
        {
            using var model = Load(directory);
            using var engine = CpuEngine.Create(model.Config, model.Weights, new EngineOptions { MaxNumSeqs = 2, MaxNumBatchedTokens = 64, MaxModelLen = 64, KvCacheMemoryBytes = 8L << 20 });
            Assert.Equal(WeightQuantization.None, engine.Options.Quantization);
            engine.AddRequest(new GenerationRequest("a", fixture.Cases[1].PromptIds, SamplingParams.Greedy(8, ignoreEos: true)));
            return EngineDriver.Tokens(EngineDriver.RunToCompletion(engine)["a"]);
        }

        Assert.Equal(Greedy(dirs.File("dequantized")), Greedy(dirs.File("fp8")));
    }

    [Fact]
    public void QuantizationAuto_IsFp8ForAnFp8Checkpoint_OnABackendThatRunsIt_AndAGivenChoiceStays()
    {
        var plain = KvCacheDtypeTestsModel();
        var fp8 = plain with { Quantization = new Fp8BlockQuantization(128, 128, "dynamic", []) };
        Assert.Equal(WeightQuantization.Fp8, WeightQuantization.Auto.ForCheckpoint(fp8, backendRunsFp8: true));
        Assert.Equal(WeightQuantization.None, WeightQuantization.Auto.ForCheckpoint(fp8, backendRunsFp8: false));
        Assert.Equal(WeightQuantization.None, WeightQuantization.Auto.ForCheckpoint(plain, backendRunsFp8: true));
        Assert.Equal(WeightQuantization.None, WeightQuantization.None.ForCheckpoint(fp8, backendRunsFp8: true));
        Assert.Equal(WeightQuantization.Fp8, WeightQuantization.Fp8.ForCheckpoint(plain, backendRunsFp8: true));
        Assert.Equal(WeightQuantization.None, new EngineOptions().ResolveFor(fp8, 64).Quantization); // resolved options never say auto
    }

    /// <summary>The CPU holds an fp8 checkpoint's layer weights in fp32: 4 bytes each, where bf16 weights take 2.</summary>
    [Fact]
    public void TheCpuMemoryCheck_CountsFourBytesPerDequantizedLayerWeight()
    {
        var plain = KvCacheDtypeTestsModel();
        var fp8 = plain with { Quantization = new Fp8BlockQuantization(128, 128, "dynamic", []) };
        long h = plain.HiddenSize, layerLinear = plain.NumHiddenLayers * ((h * (plain.QSize + (2L * plain.KvSize))) + (h * plain.QSize) + (3L * h * plain.IntermediateSize));
        Assert.Equal(2 * layerLinear, CpuEngine.CheckWeightsFit(fp8, long.MaxValue) - CpuEngine.CheckWeightsFit(plain, long.MaxValue));
    }

    private static ModelConfig KvCacheDtypeTestsModel() => Engine.KvCacheDtypeTests.SmallQwen3;

    private static LoadedModel Load(string directory) => ModelLoader.Load(new ModelLoadOptions
    {
        Model = directory,
        Format = LoadFormat.Safetensors,
        Environment = HuggingFaceEnvironment.WithHfHome(Path.Combine(Path.GetTempPath(), "llmbench-no-hf-cache")),
    });

    private static float[][] LastLogits(string directory, GoldenFixture fixture)
    {
        using var model = Load(directory);
        var traced = GreedyTrace.Run(model.Config, model.Weights, GreedyTrace.Options(maxBatchedTokens: 256, maxModelLen: 512),
            fixture.Cases.Select((c, i) => ($"case{i}", c.PromptIds, 1)));
        return [.. fixture.Cases.Select((_, i) => traced[$"case{i}"].Logits[0])];
    }
}
