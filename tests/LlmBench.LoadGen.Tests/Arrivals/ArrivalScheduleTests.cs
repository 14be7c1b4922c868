using LlmBench.LoadGen.Arrivals;

namespace LlmBench.LoadGen.Tests.Arrivals;

public class ArrivalScheduleTests
{
    private static (double Mean, double Cv2) GapStats(double rate, double burstiness, int count)
    {
        var schedule = new ArrivalSchedule(rate, burstiness, seed: 42);
        var gaps = Enumerable.Range(0, count).Select(_ => schedule.NextGapSeconds()).ToArray();
        var mean = gaps.Average();
        var variance = gaps.Sum(g => (g - mean) * (g - mean)) / count;
        return (mean, variance / (mean * mean));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.25)]
    [InlineData(4.0)]
    public void Gaps_have_mean_one_over_rate_and_squared_cv_one_over_burstiness(double burstiness)
    {
        // Gamma(k, 1/(rate·k)): mean 1/rate, variance 1/(rate²·k), so CV² = 1/k (Poisson at k = 1 has CV² = 1).
        var (mean, cv2) = GapStats(rate: 50, burstiness, count: 100_000);

        Assert.InRange(mean, 0.0196, 0.0204);
        Assert.InRange(cv2, 0.95 / burstiness, 1.05 / burstiness);
    }

    [Fact]
    public void Poisson_counts_per_window_have_variance_equal_to_mean()
    {
        var offsets = new ArrivalSchedule(100, 1, seed: 7).Offsets(200_000);
        var counts = new int[(int)Math.Ceiling(offsets[^1] * 10) + 1];
        foreach (var t in offsets)
            counts[(int)(t * 10)]++;
        var full = counts[..^1];
        var mean = full.Average();
        var variance = full.Sum(c => (c - mean) * (c - mean)) / full.Length;

        Assert.InRange(mean, 9.9, 10.1);
        Assert.InRange(variance / mean, 0.93, 1.07);
    }

    [Fact]
    public void Fixed_count_offsets_end_at_count_over_rate_and_never_decrease()
    {
        var offsets = new ArrivalSchedule(8, 0.5, seed: 1).Offsets(200);

        Assert.Equal(25.0, offsets[^1], 9);
        for (int i = 1; i < offsets.Length; i++)
            Assert.True(offsets[i] >= offsets[i - 1]);
    }

    [Fact]
    public void Infinite_rate_sends_everything_at_once()
    {
        var schedule = new ArrivalSchedule(double.PositiveInfinity, 1, seed: 1);

        Assert.True(schedule.SendsAllAtOnce);
        Assert.All(schedule.Offsets(10), o => Assert.Equal(0, o));
    }

    [Fact]
    public void Infinite_burstiness_gives_a_fixed_interval()
    {
        var schedule = new ArrivalSchedule(4, double.PositiveInfinity, seed: 1);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(0.25, schedule.NextGapSeconds()));
    }

    [Fact]
    public void Same_seed_gives_the_same_schedule()
    {
        Assert.Equal(new ArrivalSchedule(3, 1, 5).Offsets(50), new ArrivalSchedule(3, 1, 5).Offsets(50));
        Assert.NotEqual(new ArrivalSchedule(3, 1, 5).Offsets(50), new ArrivalSchedule(3, 1, 6).Offsets(50));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, 0)]
    [InlineData(double.NaN, 1)]
    public void Non_positive_rate_or_burstiness_is_a_user_error(double rate, double burstiness)
    {
        Assert.Throws<ArgumentException>(() => new ArrivalSchedule(rate, burstiness, 0));
    }
}
