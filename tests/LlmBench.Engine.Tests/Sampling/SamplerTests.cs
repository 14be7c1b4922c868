using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;

namespace LlmBench.Engine.Tests.Sampling;

public class SamplerTests
{
    private static float[] RandomLogits(int vocab, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, vocab).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
    }

    private static int Draw(Sampler sampler, float[] logits, SamplingParams sampling, ulong seed, int index, int[]? banned = null) =>
        sampler.Sample(logits.ToArray(), sampling, seed, index, banned);

    [Fact]
    public void Greedy_PicksTheLowestIdAmongEqualMaxima()
    {
        var sampler = new Sampler(6);
        float[] logits = [0.5f, 2f, -1f, 2f, 2f, 1.9f];
        Assert.Equal(1, Draw(sampler, logits, SamplingParams.Greedy(1), 0, 0));
        logits[1] = 1f;
        Assert.Equal(3, Draw(sampler, logits, SamplingParams.Greedy(1), 0, 0));
    }

    [Fact]
    public void TopK1_AndATinyTopP_AreGreedy_WhateverTheSeed()
    {
        var sampler = new Sampler(500);
        for (int seed = 0; seed < 20; seed++)
        {
            var logits = RandomLogits(500, seed);
            int greedy = Sampler.Argmax(logits);
            Assert.Equal(greedy, Draw(sampler, logits, new SamplingParams { Temperature = 1.5f, TopK = 1 }, (ulong)seed, seed));
            Assert.Equal(greedy, Draw(sampler, logits, new SamplingParams { Temperature = 1.5f, TopP = 1e-6f }, (ulong)seed, seed));
            Assert.Equal(greedy, Draw(sampler, logits, new SamplingParams { Temperature = 0.7f, TopK = 40, TopP = 1e-6f }, (ulong)seed, seed));
        }
    }

    [Fact]
    public void ASeed_ReproducesItsDraws_AndDifferentSeedsDiffer()
    {
        var logits = RandomLogits(64, 1).Select(v => v / 4).ToArray(); // flat enough that draws vary
        var sampling = new SamplingParams { Temperature = 1f, TopP = 0.95f, TopK = 50 };
        int[] Run(ulong seed, Sampler sampler) => Enumerable.Range(0, 40).Select(i => Draw(sampler, logits, sampling, seed, i)).ToArray();

        var first = Run(42, new Sampler(64));
        var again = Run(42, new Sampler(64));
        var other = Run(43, new Sampler(64));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(first.Distinct().Count() > 5, "draws should vary from token to token");
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    public void Draws_FollowTheSoftmaxAtTheTemperature(float temperature)
    {
        float[] logits = [1.0f, 0.0f, 2.0f, -1.0f, 0.5f];
        var sampler = new Sampler(logits.Length);
        var expected = Softmax(logits.Select(l => l / temperature).ToArray());
        const int draws = 40_000;
        var counts = new int[logits.Length];
        for (int i = 0; i < draws; i++)
            counts[Draw(sampler, logits, new SamplingParams { Temperature = temperature }, 7, i)]++;

        for (int id = 0; id < logits.Length; id++)
        {
            double sigma = Math.Sqrt(expected[id] * (1 - expected[id]) / draws);
            Assert.InRange((double)counts[id] / draws, expected[id] - 5 * sigma - 1e-4, expected[id] + 5 * sigma + 1e-4);
        }
    }

    [Fact]
    public void TopK_DrawsOnlyTheKMostLikely_InProportion()
    {
        float[] logits = [0f, 3f, 1f, 2.5f, -2f, 2.9f, 0.1f];
        var sampler = new Sampler(logits.Length);
        var counts = new int[logits.Length];
        for (int i = 0; i < 20_000; i++)
            counts[Draw(sampler, logits, new SamplingParams { Temperature = 1, TopK = 3 }, 3, i)]++;

        Assert.Equal([0, 0, 0, 0, 0], new[] { counts[0], counts[2], counts[4], counts[6], 0 });
        var expected = Softmax([3f, 2.5f, 2.9f]);
        Assert.Equal(expected[0], counts[1] / 20_000.0, 0.02);
        Assert.Equal(expected[1], counts[3] / 20_000.0, 0.02);
        Assert.Equal(expected[2], counts[5] / 20_000.0, 0.02);
    }

    [Fact]
    public void TopP_KeepsTheSmallestSetReachingTheMass()
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05: top_p 0.75 needs the first two (0.8), never the others.
        float[] logits = [MathF.Log(0.15f), MathF.Log(0.5f), MathF.Log(0.05f), MathF.Log(0.3f)];
        var sampler = new Sampler(4);
        var counts = new int[4];
        for (int i = 0; i < 20_000; i++)
            counts[Draw(sampler, logits, new SamplingParams { Temperature = 1, TopP = 0.75f }, 9, i)]++;

        Assert.Equal(0, counts[0] + counts[2]);
        Assert.Equal(0.5 / 0.8, counts[1] / 20_000.0, 0.02);
    }

    [Fact]
    public void TopP_OverALargeVocabulary_SortsOnlyTheNucleus_AndMatchesTheFullSort()
    {
        var logits = RandomLogits(5000, 4);
        var sampler = new Sampler(5000);
        var probabilities = Softmax(logits);
        var sorted = Enumerable.Range(0, 5000).OrderByDescending(i => probabilities[i]).ThenBy(i => i).ToArray();
        double cumulative = 0;
        int nucleus = 0;
        while (cumulative < 0.9)
            cumulative += probabilities[sorted[nucleus++]];
        var allowed = sorted[..nucleus].ToHashSet();

        for (int i = 0; i < 2000; i++)
            Assert.Contains(Draw(sampler, logits, new SamplingParams { Temperature = 1, TopP = 0.9f }, 1, i), allowed);
    }

    [Fact]
    public void BannedIds_AreNeverDrawn()
    {
        float[] logits = [5f, 0f, 4.9f];
        var sampler = new Sampler(3);
        Assert.Equal(2, Draw(sampler, logits, SamplingParams.Greedy(4), 0, 0, banned: [0]));
        for (int i = 0; i < 500; i++)
            Assert.NotEqual(0, Draw(sampler, logits, new SamplingParams { Temperature = 2 }, 5, i, banned: [0]));
    }

    [Fact]
    public void CounterRng_IsUniformAndDependsOnSeedAndCounter()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => CounterRng.Uniform(5, i)).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0, 1 - 1e-17));
        Assert.Equal(0.5, values.Average(), 0.01);
        Assert.NotEqual(CounterRng.Uniform(5, 0), CounterRng.Uniform(6, 0));
        Assert.Equal(CounterRng.Uniform(5, 17), CounterRng.Uniform(5, 17));
    }

    private static double[] Softmax(float[] logits)
    {
        double max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }
}
