using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;

namespace LlmBench.Engine.Tests.Sampling;

public class MinPTests
{
    [Fact]
    public void Min_p_never_draws_a_token_below_its_share_of_the_top_probability_and_keeps_the_rest_in_proportion()
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05: min_p 0.2 keeps tokens of at least 0.1 (ids 1, 3, 0), never id 2.
        float[] logits = [MathF.Log(0.15f), MathF.Log(0.5f), MathF.Log(0.05f), MathF.Log(0.3f)];
        var sampler = new Sampler(4);
        var counts = new int[4];
        const int draws = 20_000;
        for (int i = 0; i < draws; i++)
            counts[sampler.Sample(logits.ToArray(), new SamplingParams { Temperature = 1, MinP = 0.2f }, 11, i)]++;

        Assert.Equal(0, counts[2]);
        Assert.Equal(0.5 / 0.95, counts[1] / (double)draws, 0.02);
        Assert.Equal(0.3 / 0.95, counts[3] / (double)draws, 0.02);
        Assert.Equal(0.15 / 0.95, counts[0] / (double)draws, 0.02);
    }

    [Fact]
    public void Min_p_one_is_greedy_and_zero_changes_nothing()
    {
        var random = new Random(5);
        var logits = Enumerable.Range(0, 300).Select(_ => (float)(random.NextDouble() * 6)).ToArray();
        var sampler = new Sampler(logits.Length);
        int greedy = Sampler.Argmax(logits);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(greedy, sampler.Sample(logits.ToArray(), new SamplingParams { Temperature = 1.3f, MinP = 1f }, 3, i));
            Assert.Equal(sampler.Sample(logits.ToArray(), new SamplingParams { Temperature = 0.8f }, 3, i),
                sampler.Sample(logits.ToArray(), new SamplingParams { Temperature = 0.8f, MinP = 0f }, 3, i));
        }
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Min_p_outside_zero_to_one_is_refused(float minP) =>
        Assert.Throws<ArgumentException>(() => new SamplingParams { MinP = minP }.Validate());
}
