namespace LlmBench.Engine.Tests.Engine;

public class WeightQuantizationTests
{
    [Theory]
    [InlineData(null, WeightQuantization.Auto)]
    [InlineData("auto", WeightQuantization.Auto)]
    [InlineData("none", WeightQuantization.None)]
    [InlineData(" FP8 ", WeightQuantization.Fp8)]
    public void Parse_AcceptsVllmsName(string? text, WeightQuantization expected) => Assert.Equal(expected, WeightQuantizations.Parse(text));

    [Theory]
    [InlineData("awq")]
    [InlineData("fp8_e5m2")]
    public void Parse_NamesTheChoice_ForAnythingElse(string text)
    {
        var ex = Assert.Throws<UserErrorException>(() => WeightQuantizations.Parse(text));
        Assert.Equal($"--quantization must be fp8 or none (or auto: fp8 for an fp8 checkpoint), got \"{text}\".", ex.Message);
    }

    [Fact]
    public void ResultsNameFp8Only() =>
        Assert.Equal([null, "fp8_e4m3", null], new[] { WeightQuantization.None, WeightQuantization.Fp8, WeightQuantization.Auto }.Select(q => q.DisplayName()));

    [Fact]
    public void TheCpuEngine_RefusesFp8Weights_InOneSentence()
    {
        var model = KvCacheDtypeTests.SmallQwen3;
        var ex = Assert.Throws<UserErrorException>(() => CpuEngine.Resolve(model, new EngineOptions { Quantization = WeightQuantization.Fp8 }));
        Assert.Contains("--quantization fp8 runs on the CUDA engine only", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
