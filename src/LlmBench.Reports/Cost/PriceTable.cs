using System.Text.Json;
using System.Text.Json.Nodes;
using LlmBench.Reports.Reading;

namespace LlmBench.Reports.Cost;

/// <summary>
/// GPU prices for `--gpu NAME`: a small built-in table of on-demand list prices, overridden entry by entry (same key)
/// or extended by $LLMBENCH_HOME/prices.json (docs/REPORTS.md). The built-in figures are approximate list prices,
/// rounded, entered by hand from the providers' public price pages as of <see cref="BuiltInAsOf"/>; list prices change
/// and differ by region, so check them before quoting a cost.
/// </summary>
public sealed class PriceTable
{
    public const string BuiltInAsOf = "2025-06";

    /// <summary>Approximate on-demand list prices (US regions, rounded), as of <see cref="BuiltInAsOf"/>.</summary>
    public static readonly IReadOnlyList<GpuPrice> BuiltIn =
    [
        new("h200", "H200 141GB", "AWS", "p5en.48xlarge", 8, 63, BuiltInAsOf, true),
        new("h100", "H100 80GB", "AWS", "p5.48xlarge", 8, 55, BuiltInAsOf, true),
        new("gcp-h100", "H100 80GB", "Google Cloud", "a3-highgpu-8g", 8, 88, BuiltInAsOf, true),
        new("azure-h100", "H100 80GB", "Azure", "ND96isr H100 v5", 8, 98, BuiltInAsOf, true),
        new("lambda-h100", "H100 80GB SXM", "Lambda", "8x H100 SXM", 8, 24, BuiltInAsOf, true),
        new("a100", "A100 40GB", "AWS", "p4d.24xlarge", 8, 22, BuiltInAsOf, true),
        new("lambda-a100", "A100 80GB SXM", "Lambda", "8x A100 SXM", 8, 14, BuiltInAsOf, true),
        new("l4", "L4 24GB", "AWS", "g6.xlarge", 1, 0.8, BuiltInAsOf, true),
        new("a10g", "A10G 24GB", "AWS", "g5.xlarge", 1, 1.0, BuiltInAsOf, true),
        new("t4", "T4 16GB", "AWS", "g4dn.xlarge", 1, 0.53, BuiltInAsOf, true),
    ];

    private readonly List<GpuPrice> _entries;

    public PriceTable(IEnumerable<GpuPrice> entries) => _entries = entries.ToList();

    public IReadOnlyList<GpuPrice> Entries => _entries;

    /// <summary>The built-in table with the user's file (if it exists) laid over it.</summary>
    public static PriceTable Load(string? userFile)
    {
        var entries = BuiltIn.ToDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);
        if (userFile is not null && File.Exists(userFile))
        {
            foreach (var p in ReadUserFile(userFile))
                entries[p.Key] = p;
        }

        return new PriceTable(entries.Values);
    }

    public GpuPrice Find(string key) =>
        _entries.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? throw new ReportException($"no price for GPU \"{key}\"; known: {string.Join(", ", _entries.Select(p => p.Key))} (add it to prices.json or give --price-per-hour).");

    /// <summary>
    /// {"prices": [{"key": "h100", "gpu": "H100 80GB", "provider": "…", "instance_type": "…", "gpu_count": 8,
    /// "on_demand_per_hour": 55.0, "as_of": "2025-06"}]}; gpu, provider and instance_type are optional.
    /// </summary>
    public static IReadOnlyList<GpuPrice> ReadUserFile(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new ReportException($"{path} is not valid JSON (line {ex.LineNumber + 1}).", ex);
        }

        if (Json.At(root, "prices") is not JsonArray prices)
            throw new ReportException($"{path} has no \"prices\" array (see docs/REPORTS.md for the format).");
        var list = new List<GpuPrice>();
        foreach (var (node, i) in prices.Select((n, i) => (n, i)))
        {
            var key = Json.Text(node, "key");
            var price = Json.Number(node, "on_demand_per_hour");
            var count = Json.Number(node, "gpu_count") ?? 1;
            if (key is null || price is not > 0 || count < 1)
                throw new ReportException($"{path}: prices[{i}] needs a \"key\", a positive \"on_demand_per_hour\" and a \"gpu_count\" of at least 1.");
            list.Add(new GpuPrice(
                key,
                Json.Text(node, "gpu") ?? key,
                Json.Text(node, "provider") ?? "user",
                Json.Text(node, "instance_type") ?? "-",
                (int)count,
                price.Value,
                Json.Text(node, "as_of") ?? "unknown date",
                Approximate: false,
                Note: path));
        }

        return list;
    }
}
