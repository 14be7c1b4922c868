using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.Cpu;

public class SamplingReferenceTests
{
    [Fact]
    public void Greedy_TakesTheLowestIndexOfTheMaximum_AndIgnoresNaN()
    {
        Assert.Equal(1, SamplingReference.Greedy([0f, 3f, float.NaN, 3f]));
        Assert.Equal(0, SamplingReference.Greedy([float.NaN, float.NaN]));
    }

    [Fact]
    public void Gumbel_IsBoundedAtBothEnds()
    {
        Assert.InRange(SamplingReference.Gumbel(uint.MaxValue), 16.0, SamplingReference.GumbelBound);
        Assert.InRange(SamplingReference.Gumbel(0), -3.0, -2.5); // -log(-log(2^-24)) ≈ -2.81
    }

    [Fact]
    public void TopK_KeepsTiesAtTheThreshold()
    {
        var mask = SamplingMask.Create([1f, 5f, 3f, 3f, 2f], 1.0, 2, 1.0);
        Assert.Equal([false, true, true, true, false], mask.Allowed);
    }

    [Fact]
    public void TopP_KeepsTheSmallestPrefixReachingP_OfTheTopKMass()
    {
        float[] logits = [0f, MathF.Log(2), MathF.Log(4), MathF.Log(8)]; // masses 1:2:4:8 of 15
        Assert.Equal([false, false, true, true], SamplingMask.Create(logits, 1.0, 0, 0.75).Allowed);   // 8/15 < 0.75 ≤ 12/15
        Assert.Equal([false, false, false, true], SamplingMask.Create(logits, 1.0, 0, 0.5).Allowed);   // 8/15 ≥ 0.5
        Assert.Equal([false, false, true, true], SamplingMask.Create(logits, 1.0, 3, 0.6).Allowed);    // top-3 mass 14: 8/14 < 0.6
        Assert.InRange(SamplingMask.Create(logits, 1.0, 0, 0.75).TopPMargin, 0.049, 0.051);             // 0.8 − 0.75
    }

    [Fact]
    public void GumbelMax_DrawsFromSoftmaxOverTheMask()
    {
        var data = new SeededData(3);
        var logits = data.Bf16Values(16, 1.5);
        var mask = SamplingMask.Create(logits, 0.8, 10, 0.9);
        const int draws = 20_000;
        var tokens = Enumerable.Range(0, draws).Select(i => SamplingReference.GumbelMax(logits, 0.8f, mask.Allowed, 977, i).Token).ToArray();

        var (chi, degrees, outside) = FrequencyTest.ChiSquared(tokens, SamplingReference.Probabilities(logits, 0.8, mask.Allowed));

        Assert.Equal(0, outside);
        Assert.True((chi - degrees) / Math.Sqrt(2.0 * degrees) < 4, $"χ² {chi:F1} over {degrees} degrees");
        Assert.True(mask.Count is > 1 and < 16);
    }

    [Fact]
    public void ChiSquared_RejectsADistributionThatIsNotTheExpectedOne()
    {
        var draws = Enumerable.Range(0, 10_000).Select(i => i % 4).ToArray(); // uniform over 4
        var (chi, degrees, _) = FrequencyTest.ChiSquared(draws, [0.4, 0.2, 0.2, 0.2]);
        Assert.Equal(3, degrees);
        Assert.True(chi > 100);
    }
}
