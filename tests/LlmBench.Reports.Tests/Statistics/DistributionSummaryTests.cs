using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Tests.Statistics;

public class DistributionSummaryTests
{
    [Fact]
    public void Matches_numpy_mean_median_population_std_and_linear_percentiles()
    {
        // numpy on [40, 10, 30, 20]: mean 25, median 25, std (ddof=0) sqrt(125), p99 = 30 + 0.97 * 10, p25 = 17.5.
        var s = DistributionSummary.Compute([40, 10, 30, 20], [25, 99]);

        Assert.Equal(4, s.Count);
        Assert.Equal(25, s.Mean, 12);
        Assert.Equal(25, s.Median, 12);
        Assert.Equal(Math.Sqrt(125), s.StdDev, 12);
        Assert.Equal(17.5, s.ValueAt(25), 12);
        Assert.Equal(39.7, s.ValueAt(99), 12);
    }

    [Fact]
    public void Odd_count_median_is_the_middle_value_and_extremes_are_min_and_max()
    {
        var s = DistributionSummary.Compute([5, 1, 9, 3, 7], [0, 100, 50]);

        Assert.Equal(5, s.Median);
        Assert.Equal(1, s.ValueAt(0));
        Assert.Equal(9, s.ValueAt(100));
        Assert.Equal(5, s.ValueAt(50));
    }

    [Fact]
    public void Single_value_has_zero_spread()
    {
        var s = DistributionSummary.Compute([12.5], [99]);

        Assert.Equal(12.5, s.Mean);
        Assert.Equal(0, s.StdDev);
        Assert.Equal(12.5, s.ValueAt(99));
    }

    [Fact]
    public void Empty_sample_summarizes_to_zeros_as_vllm_does()
    {
        var s = DistributionSummary.Compute([], [50, 99]);

        Assert.Equal(0, s.Count);
        Assert.Equal(0, s.Mean);
        Assert.Equal(0, s.ValueAt(99));
    }

    [Fact]
    public void Percentile_outside_0_to_100_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DistributionSummary.Compute([1, 2], [101]));
    }

    [Theory]
    [InlineData(99.0, "99")]
    [InlineData(99.9, "99.9")]
    [InlineData(50.0, "50")]
    public void Percentile_labels_follow_vllm_key_names(double percentile, string label)
    {
        Assert.Equal(label, PercentileValue.PercentileLabel(percentile));
    }
}
