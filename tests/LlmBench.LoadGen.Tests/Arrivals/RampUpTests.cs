using System.Diagnostics;
using LlmBench.LoadGen.Arrivals;
using LlmBench.LoadGen.Runner;
using LlmBench.LoadGen.Tests.Fakes;
using LlmBench.LoadGen.Tests.Runner;

namespace LlmBench.LoadGen.Tests.Arrivals;

public class RampUpTests
{
    [Fact]
    public void Linear_and_exponential_rates_move_from_start_to_end_over_the_requests()
    {
        var linear = new RampUp("linear", 2, 10);
        var exponential = new RampUp("exponential", 1, 16);

        Assert.Equal([2.0, 4, 6, 8, 10], Enumerable.Range(0, 5).Select(i => linear.RateAt(i, 5)));
        Assert.Equal([1.0, 2, 4, 8, 16], Enumerable.Range(0, 5).Select(i => exponential.RateAt(i, 5)), new ToleranceComparer(1e-12));
        Assert.Equal(2, linear.RateAt(0, 1));
    }

    [Fact]
    public void Evenly_spaced_ramps_put_each_request_one_gap_of_its_own_rate_after_the_last()
    {
        // Burstiness inf: each gap is 1/rate. Linear 1 → 3 over 3 requests: rates 1, 2, 3; exponential 1 → 4: rates 1, 2, 4.
        var linear = ArrivalSchedule.RampOffsets(3, new RampUp("linear", 1, 3), double.PositiveInfinity, seed: 0);
        var exponential = ArrivalSchedule.RampOffsets(3, new RampUp("exponential", 1, 4), double.PositiveInfinity, seed: 0);

        Assert.Equal([1.0, 1.5, 1.5 + 1 / 3.0], linear, new ToleranceComparer(1e-12));
        Assert.Equal([1.0, 1.5, 1.75], exponential, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Poisson_ramp_gaps_follow_the_current_rate_and_are_not_rescaled()
    {
        const int count = 20_000;
        var ramp = new RampUp("linear", 10, 1000);
        var offsets = ArrivalSchedule.RampOffsets(count, ramp, 1.0, seed: 7);
        var gaps = offsets.Select((o, i) => i == 0 ? o : o - offsets[i - 1]).ToArray();

        // Over each tenth of the run, the mean gap is the mean of 1/rate there, within 5 %.
        for (int tenth = 0; tenth < 10; tenth++)
        {
            var range = Enumerable.Range(tenth * count / 10, count / 10).ToArray();
            var expected = range.Average(i => 1 / ramp.RateAt(i, count));
            Assert.InRange(range.Average(i => gaps[i]), expected * 0.95, expected * 1.05);
        }
    }

    [Theory]
    [InlineData("steady", 1, 2)]
    [InlineData("linear", 0, 2)]
    [InlineData("exponential", 3, 2)]
    [InlineData("linear", 1, double.PositiveInfinity)]
    public void Bad_ramps_are_refused(string strategy, double start, double end) =>
        Assert.Throws<ArgumentException>(() => new RampUp(strategy, start, end).Validate());

    [Fact]
    public async Task The_runner_sends_on_the_ramps_schedule()
    {
        await using var server = await ScriptedServer.StartAsync(_ => new ChunkScript { UsageTokens = 1 });
        var plan = RunHarness.Plan(5) with { RampUp = new RampUp("linear", 20, 100), Burstiness = double.PositiveInfinity };

        var outcome = await RunHarness.RunAsync(server, plan);

        // Rates 20, 40, 60, 80, 100 req/s: due gaps after the first of 25, 16.7, 12.5 and 10 ms.
        var due = outcome.Timings.OrderBy(t => t.Index).Select(t => t.DueTicks).ToArray();
        double[] expectedMs = [1000 / 40.0, 1000 / 60.0, 1000 / 80.0, 1000 / 100.0];
        for (int i = 1; i < due.Length; i++)
            Assert.Equal(expectedMs[i - 1], (due[i] - due[i - 1]) * 1000.0 / Stopwatch.Frequency, 0.01);
        Assert.Equal(5, outcome.Records.Count(r => r.Success));
    }

    [Fact]
    public void A_ramp_with_a_duration_is_refused() =>
        Assert.Throws<ArgumentException>(() => (RunHarness.Plan(2, maxConcurrency: 1) with { RampUp = new RampUp("linear", 1, 2), DurationSeconds = 1 }).Validate());

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
