using System.CommandLine;
using LlmBench.Gpu;
using LlmBench.Reports.Cost;
using LlmBench.Reports.Reading;

namespace LlmBench.Cli;

/// <summary>--price-per-hour, --gpu and --kwh-price, shared by `compare` and `cost`; prices.json under $LLMBENCH_HOME overrides or extends the built-in table.</summary>
internal sealed class PriceOptions
{
    public readonly Option<double[]> PricePerHour = new("--price-per-hour") { Description = "Price of the GPUs a result ran on, $ per hour; one for all results or one per result.", AllowMultipleArgumentsPerToken = true };
    public readonly Option<string[]> Gpu = new("--gpu") { Description = "Take the price from the price table (on-demand list prices, each with its source and date; see `llmbench cost --list`): one for all results or one per result (h200 h100, or h200,h100); per-GPU price × GPUs the result used.", AllowMultipleArgumentsPerToken = true };
    public readonly Option<double?> KwhPrice = new("--kwh-price") { Description = "Electricity, $ per kWh: adds the energy cost per 1M output tokens where the result has J/token." };

    public void AddTo(Command command)
    {
        command.Options.Add(PricePerHour);
        command.Options.Add(Gpu);
        command.Options.Add(KwhPrice);
    }

    public static string UserPriceFile => Path.Combine(GpuPaths.FromEnvironment().DataDirectory, "prices.json");

    public static PriceTable Table() => PriceTable.Load(UserPriceFile);

    /// <summary>Per result, its price per hour (null: no price given), and the sources to print under the table.</summary>
    public (IReadOnlyList<double?> Prices, IReadOnlyList<string> Sources) Resolve(ParseResult p, IReadOnlyList<ResultSummary> results)
    {
        var hourly = p.GetValue(PricePerHour) ?? [];
        var gpus = (p.GetValue(Gpu) ?? []).SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (hourly.Length > 0 && gpus.Length > 0)
            throw new ReportException("give --price-per-hour or --gpu, not both.");
        if (hourly.Length > 0)
            return (Spread(hourly.Select(x => (double?)x).ToList(), results.Count, "--price-per-hour"), [$"price: {string.Join(", ", hourly)} $/h as given"]);
        if (gpus.Length == 0)
            return (results.Select(_ => (double?)null).ToList(), []);
        var table = Table();
        var entries = Spread(gpus.Select(table.Find).ToList(), results.Count, "--gpu");
        var prices = entries.Select((e, i) => (double?)(e.PerGpuHour * results[i].GpuCount)).ToList();
        var sources = entries.Distinct().Select(e => $"price: {e.Describe()}; list price from {e.Source} (prices change)").ToList();
        return (prices, sources);
    }

    private static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> values, int count, string flag) =>
        values.Count == 1 ? Enumerable.Repeat(values[0], count).ToList()
        : values.Count == count ? values
        : throw new ReportException($"{values.Count} values of {flag} for {count} results: give one for all or one per result.");
}
