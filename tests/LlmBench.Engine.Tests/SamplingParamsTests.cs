using LlmBench.Engine.Api;

namespace LlmBench.Engine.Tests;

public class SamplingParamsTests
{
    [Theory]
    [InlineData(-0.1f, 1f, 0, 16, "temperature")]
    [InlineData(1f, 0f, 0, 16, "top_p")]
    [InlineData(1f, 1.5f, 0, 16, "top_p")]
    [InlineData(1f, 1f, -2, 16, "top_k")]
    [InlineData(1f, 1f, 0, 0, "max_tokens")]
    public void Validate_RejectsOutOfRangeValues_NamingTheField(float temperature, float topP, int topK, int maxTokens, string field)
    {
        var p = new SamplingParams { Temperature = temperature, TopP = topP, TopK = topK, MaxTokens = maxTokens };
        var ex = Assert.Throws<ArgumentException>(p.Validate);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsGreedyAndSampling()
    {
        SamplingParams.Greedy(8).Validate();
        new SamplingParams { Temperature = 0.6f, TopP = 0.9f, TopK = 20, MaxTokens = 4 }.Validate();
        Assert.True(SamplingParams.Greedy(1).IsGreedy);
    }
}
