namespace LlmBench.LoadGen.Runner;

/// <summary>What an SLO search varies: the concurrency limit (whole numbers) or the request rate.</summary>
public enum SearchDimension
{
    MaxConcurrency,
    RequestRate,
}

/// <summary>How an SLO search probes: where it starts, how many runs it may spend, and on which dimension.</summary>
/// <param name="MaxLoad">The most load a run can offer, if bounded: a max-concurrency above --num-prompts runs every
/// request at once, the same as --num-prompts, so the search never probes above it.</param>
public sealed record LoadSearchOptions(SearchDimension Dimension, double Start, int MaxRuns, double? MaxLoad = null)
{
    /// <summary>A request-rate search stops once the bracket is narrower than this share of its upper end.</summary>
    public const double RateResolution = 0.05;

    public void Validate()
    {
        if (!(Start > 0) || double.IsInfinity(Start) || (Dimension == SearchDimension.MaxConcurrency && Start != Math.Floor(Start)))
            throw new ArgumentException($"--search-start must be a positive {(Dimension == SearchDimension.MaxConcurrency ? "whole number" : "number")}, got {Start}.");
        if (MaxRuns < 1)
            throw new ArgumentException($"--search-max-runs must be at least 1, got {MaxRuns}.");
    }
}

/// <summary>One probe of a search: the load run and whether it met the SLO.</summary>
public readonly record struct SearchProbe(double Load, bool Passed);

/// <summary>
/// The decision logic of --search, a pure function of the probes so far: start at <see cref="LoadSearchOptions.Start"/>,
/// double while every probe passes, then bisect between the highest load that passed (0 when none did) and the lowest
/// above it that failed, until the bracket cannot shrink (adjacent whole numbers for concurrency, 5 % for a rate) or
/// <see cref="LoadSearchOptions.MaxRuns"/> runs were spent. The answer is the highest load that passed.
/// </summary>
public static class LoadSearch
{
    /// <summary>The next load to run, or null when the search is over.</summary>
    public static double? Next(IReadOnlyList<SearchProbe> probes, LoadSearchOptions options)
    {
        if (probes.Count >= options.MaxRuns)
            return null;
        if (probes.Count == 0)
            return Math.Min(options.Start, options.MaxLoad ?? double.PositiveInfinity);
        var lo = Answer(probes) ?? 0;
        var failedAbove = probes.Where(p => !p.Passed && p.Load > lo).Select(p => p.Load).ToArray();
        if (failedAbove.Length == 0)
        {
            if (lo >= options.MaxLoad)
                return null; // the most this run can offer passed
            return Math.Min(lo * 2, options.MaxLoad ?? double.PositiveInfinity);
        }
        var hi = failedAbove.Min();
        double next;
        if (options.Dimension == SearchDimension.MaxConcurrency)
        {
            if (hi - lo <= 1)
                return null;
            next = Math.Floor((lo + hi) / 2);
        }
        else
        {
            if (hi - lo <= LoadSearchOptions.RateResolution * hi)
                return null;
            next = (lo + hi) / 2;
        }

        return probes.Any(p => p.Load == next) ? null : next;
    }

    /// <summary>The highest load that passed, or null when none did.</summary>
    public static double? Answer(IReadOnlyList<SearchProbe> probes) =>
        probes.Where(p => p.Passed).Select(p => (double?)p.Load).Max();

    /// <summary>Runs the search against <paramref name="probe"/> (which runs one load and says whether it passed), probe by probe.</summary>
    public static async Task<IReadOnlyList<SearchProbe>> RunAsync(LoadSearchOptions options, Func<double, Task<bool>> probe)
    {
        var probes = new List<SearchProbe>();
        while (Next(probes, options) is { } load)
            probes.Add(new SearchProbe(load, await probe(load)));
        return probes;
    }
}
