using LlmBench.LoadGen.Runner;

namespace LlmBench.LoadGen.Tests.Runner;

public class LoadSearchTests
{
    /// <summary>Runs the search against a scripted pass/fail oracle, returning the loads probed in order and the answer.</summary>
    private static (double[] Loads, double? Answer) Search(LoadSearchOptions options, Func<double, bool> passes)
    {
        var probes = LoadSearch.RunAsync(options, load => Task.FromResult(passes(load))).GetAwaiter().GetResult();
        return (probes.Select(p => p.Load).ToArray(), LoadSearch.Answer(probes));
    }

    [Fact]
    public void Concurrency_doubles_from_the_start_then_bisects_within_eight_runs()
    {
        var (loads, answer) = Search(new LoadSearchOptions(SearchDimension.MaxConcurrency, 1, 8), c => c <= 20);

        Assert.Equal([1, 2, 4, 8, 16, 32, 24, 20], loads);
        Assert.Equal(20, answer);
    }

    [Fact]
    public void Concurrency_stops_when_the_bracket_is_adjacent_whole_numbers()
    {
        var (loads, answer) = Search(new LoadSearchOptions(SearchDimension.MaxConcurrency, 8, 20), c => c <= 5);

        // 8 fails at once: bisect between 0 (nothing passed) and 8.
        Assert.Equal([8, 4, 6, 5], loads);
        Assert.Equal(5, answer);
    }

    [Fact]
    public void Concurrency_with_nothing_passing_ends_at_one_without_an_answer()
    {
        var (loads, answer) = Search(new LoadSearchOptions(SearchDimension.MaxConcurrency, 4, 8), _ => false);

        Assert.Equal([4, 2, 1], loads);
        Assert.Null(answer);
    }

    [Fact]
    public void Every_load_passing_doubles_until_the_run_budget_is_spent()
    {
        var (loads, answer) = Search(new LoadSearchOptions(SearchDimension.MaxConcurrency, 1, 5), _ => true);

        Assert.Equal([1, 2, 4, 8, 16], loads);
        Assert.Equal(16, answer);
    }

    [Fact]
    public void Request_rate_bisects_halves_until_five_percent()
    {
        var (loads, answer) = Search(new LoadSearchOptions(SearchDimension.RequestRate, 2, 20), r => r <= 10);

        // 2, 4, 8 pass, 16 fails; then 12 (fail), 10 (pass), 11 (fail), 10.5 (fail): bracket 10..10.5 is under 5 % of 10.5.
        Assert.Equal([2, 4, 8, 16, 12, 10, 11, 10.5], loads);
        Assert.Equal(10, answer);
    }

    [Fact]
    public void The_next_probe_is_a_pure_function_of_the_history()
    {
        var options = new LoadSearchOptions(SearchDimension.MaxConcurrency, 1, 8);

        Assert.Equal(1, LoadSearch.Next([], options));
        Assert.Equal(64, LoadSearch.Next([new(16, true), new(32, true)], options));
        Assert.Equal(48, LoadSearch.Next([new(32, true), new(64, false)], options));
        Assert.Null(LoadSearch.Next([new(32, true), new(33, false)], options));
        Assert.Null(LoadSearch.Next(Enumerable.Range(1, 8).Select(i => new SearchProbe(i, true)).ToArray(), options));
    }

    [Theory]
    [InlineData(SearchDimension.MaxConcurrency, 0, 8)]
    [InlineData(SearchDimension.MaxConcurrency, 1.5, 8)]
    [InlineData(SearchDimension.RequestRate, -1, 8)]
    [InlineData(SearchDimension.RequestRate, 1, 0)]
    public void Bad_search_options_are_refused(SearchDimension dimension, double start, int maxRuns) =>
        Assert.Throws<ArgumentException>(() => new LoadSearchOptions(dimension, start, maxRuns).Validate());

    [Fact]
    public void MaxConcurrency_NeverProbesAboveWhatTheRunCanOffer()
    {
        // 256 prompts: a concurrency above 256 is the same load, so a search that passes everywhere stops at 256.
        var (loads, answer) = Search(new LoadSearchOptions(SearchDimension.MaxConcurrency, 8, 8, MaxLoad: 256), _ => true);
        Assert.Equal([8.0, 16, 32, 64, 128, 256], loads);
        Assert.Equal(256, answer);

        (loads, answer) = Search(new LoadSearchOptions(SearchDimension.MaxConcurrency, 300, 8, MaxLoad: 256), c => c <= 100);
        Assert.Equal(256.0, loads[0]);
        Assert.Equal(100, answer);
    }
}

public class LoadPointTests
{
    [Fact]
    public void A_grid_runs_every_rate_with_every_concurrency_rates_outermost()
    {
        var grid = LoadPoint.Grid([1, double.PositiveInfinity], [8, null]);

        Assert.Equal([new(1, 8), new(1, null), new(double.PositiveInfinity, 8), new(double.PositiveInfinity, null)], grid);
        Assert.Equal("max_concurrency=8, request_rate=inf", grid[2].ToString());
    }

    [Fact]
    public void Settings_sweep_over_their_lists_and_each_point_is_a_single_run()
    {
        var settings = new BenchServeSettings { MaxConcurrency = 1, MaxConcurrencySweep = [1, 8, 32], RequestRate = 4 };

        Assert.True(settings.IsSweep);
        Assert.Equal([new(4, 1), new(4, 8), new(4, 32)], settings.LoadPoints);
        var at = settings.At(new LoadPoint(4, 8));
        Assert.False(at.IsSweep);
        Assert.Equal(8, at.MaxConcurrency);
        Assert.Equal([new LoadPoint(4, 8)], at.LoadPoints);
        Assert.False(new BenchServeSettings().IsSweep);
    }

    [Fact]
    public void A_swept_concurrency_below_one_is_refused() =>
        Assert.Throws<ArgumentException>(() => new BenchServeSettings { MaxConcurrencySweep = [4, 0] }.Validate());

}
