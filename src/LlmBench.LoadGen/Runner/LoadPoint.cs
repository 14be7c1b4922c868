using System.Globalization;

namespace LlmBench.LoadGen.Runner;

/// <summary>One load of a `bench serve` sweep: the request rate (infinity sends everything at once) and the concurrency limit (null: none).</summary>
public sealed record LoadPoint(double RequestRate, int? MaxConcurrency)
{
    /// <summary>"max_concurrency=8, request_rate=inf": how a sweep names the point in its log and errors.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"max_concurrency={(MaxConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "None")}, request_rate={ServeBenchmark.PythonFloat(RequestRate)}");

    /// <summary>Every rate with every concurrency, rates outermost, each list in the order given.</summary>
    public static IReadOnlyList<LoadPoint> Grid(IReadOnlyList<double> requestRates, IReadOnlyList<int?> maxConcurrencies) =>
        requestRates.SelectMany(rate => maxConcurrencies.Select(c => new LoadPoint(rate, c))).ToArray();
}
