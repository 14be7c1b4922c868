using LlmBench.Kernels.Tests.Reference;

namespace LlmBench.Kernels.Tests.Cpu;

public class LogprobReferenceTests
{
    [Fact]
    public void A_flat_row_gives_every_token_minus_log_vocab_and_lists_the_lowest_ids()
    {
        var row = LogprobReference.Measure(Enumerable.Repeat(2.5f, 1000).ToArray(), 3);

        Assert.Equal(2.5 + Math.Log(1000), row.LogNormalizer, 12);
        Assert.Equal([0, 1, 2], row.TopIds);
        Assert.All(row.TopLogprobs, lp => Assert.Equal(-Math.Log(1000), lp, 12));
    }

    [Fact]
    public void Top_tokens_are_best_first_with_ties_by_lower_id_and_nan_as_minus_infinity()
    {
        float[] logits = [1f, 3f, float.NaN, 3f, 2f, float.NegativeInfinity];

        var row = LogprobReference.Measure(logits, 6);

        Assert.Equal([1, 3, 4, 0, 2, 5], row.TopIds);
        var expected = Math.Log(Math.Exp(1) + (2 * Math.Exp(3)) + Math.Exp(2));
        Assert.Equal(expected, row.LogNormalizer, 12);
        Assert.Equal(3 - expected, row.TopLogprobs[0], 12);
        Assert.Equal(double.NegativeInfinity, row.TopLogprobs[4]);
    }

    [Fact]
    public void The_count_is_clamped_to_the_vocabulary_and_to_the_kernels_limit()
    {
        Assert.Equal(2, LogprobReference.Measure([0f, 1f], 20).TopIds.Length);
        Assert.Equal(LogprobKernel.MaxTop, LogprobReference.Measure(new float[100], 25).TopIds.Length);
        Assert.Empty(LogprobReference.Measure([0f, 1f], 0).TopIds);
    }
}
