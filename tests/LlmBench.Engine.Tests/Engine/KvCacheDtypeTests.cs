namespace LlmBench.Engine.Tests.Engine;

public class KvCacheDtypeTests
{
    /// <summary>A one-layer Qwen3 shape for the CPU engine's option checks.</summary>
    internal static LlmBench.Engine.Models.ModelConfig SmallQwen3 { get; } = new()
    {
        Family = LlmBench.Engine.Models.ModelFamily.Qwen3, ModelType = "qwen3", VocabSize = 64, HiddenSize = 32, IntermediateSize = 64,
        NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 16, MaxPositionEmbeddings = 128,
        RopeTheta = 10000, RmsNormEps = 1e-6, QkNorm = true,
    };

    [Theory]
    [InlineData("auto", KvCacheDtype.Auto)]
    [InlineData("BF16", KvCacheDtype.Bf16)]
    [InlineData(" fp8 ", KvCacheDtype.Fp8)]
    [InlineData("fp8_e4m3", KvCacheDtype.Fp8)]
    public void Parse_AcceptsVllmsNames(string text, KvCacheDtype expected) => Assert.Equal(expected, KvCacheDtypes.Parse(text));

    [Fact]
    public void Parse_NamesTheChoices_ForAnUnknownType()
    {
        var ex = Assert.Throws<UserErrorException>(() => KvCacheDtypes.Parse("fp8_e5m2"));
        Assert.Contains("auto, bf16 or fp8", ex.Message);
    }

    [Fact]
    public void ResultsNameTheResolvedType() =>
        Assert.Equal(["bf16", "bf16", "fp8_e4m3"], new[] { KvCacheDtype.Auto, KvCacheDtype.Bf16, KvCacheDtype.Fp8 }.Select(d => d.DisplayName()));

    [Fact]
    public void CalculatingScales_WithoutAnFp8Cache_IsRefused()
    {
        var ex = Assert.Throws<UserErrorException>(() => new EngineOptions { CalculateKvScales = true }.Validate());
        Assert.Contains("--kv-cache-dtype fp8", ex.Message);
        new EngineOptions { CalculateKvScales = true, KvCacheDtype = KvCacheDtype.Fp8 }.Validate();
    }

    [Fact]
    public void TheCpuEngine_RefusesAnFp8Cache_InOneSentence()
    {
        var model = KvCacheDtypeTests.SmallQwen3;
        var ex = Assert.Throws<UserErrorException>(() => CpuEngine.Resolve(model, new EngineOptions { KvCacheDtype = KvCacheDtype.Fp8 }));
        Assert.Contains("CUDA engine only", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
