using LlmBench.Reports.Reading;

namespace LlmBench.Reports.Cost;

/// <summary>
/// GPU prices for `--gpu NAME`: the built-in list prices (prices.json beside this file, embedded; each entry with its
/// source URL and the date it was read, docs/REPORTS.md), overridden entry by entry (same key) or extended by the user's
/// $LLMBENCH_HOME/prices.json. List prices change and differ by region, so check them before quoting a cost.
/// </summary>
public sealed class PriceTable
{
    private const string BuiltInResource = "LlmBench.Reports.Cost.prices.json";

    private static readonly Lazy<IReadOnlyList<GpuPrice>> BuiltInPrices = new(ReadBuiltIn);

    private readonly List<GpuPrice> _entries;

    public PriceTable(IEnumerable<GpuPrice> entries) => _entries = entries.ToList();

    /// <summary>The built-in on-demand list prices, each as its source gave it on its date.</summary>
    public static IReadOnlyList<GpuPrice> BuiltIn => BuiltInPrices.Value;

    public IReadOnlyList<GpuPrice> Entries => _entries;

    /// <summary>The built-in table with the user's file (if it exists) laid over it.</summary>
    public static PriceTable Load(string? userFile)
    {
        var entries = BuiltIn.ToDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);
        if (userFile is not null && File.Exists(userFile))
        {
            foreach (var p in PriceFile.Read(userFile))
                entries[p.Key] = p;
        }

        return new PriceTable(entries.Values);
    }

    public GpuPrice Find(string key) =>
        _entries.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? throw new ReportException($"no price for GPU \"{key}\" (known: {string.Join(", ", _entries.Select(p => p.Key))}); give --price-per-hour or add it to $LLMBENCH_HOME/prices.json.");

    private static IReadOnlyList<GpuPrice> ReadBuiltIn()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(BuiltInResource)
            ?? throw new InvalidOperationException($"{BuiltInResource} is not embedded in {typeof(PriceTable).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return PriceFile.Parse("the built-in price table", reader.ReadToEnd());
    }
}
