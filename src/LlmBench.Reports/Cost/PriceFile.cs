using System.Text.Json;
using System.Text.Json.Nodes;
using LlmBench.Reports.Reading;

namespace LlmBench.Reports.Cost;

/// <summary>
/// Reads a price file: {"prices": [{"key", "gpu", "provider", "instance_type", "gpu_count", "on_demand_per_hour",
/// "region", "as_of", "source", "source_note"}, …]}. The built-in table and $LLMBENCH_HOME/prices.json share the format
/// (docs/REPORTS.md); in the user's file only key and on_demand_per_hour are required.
/// </summary>
public static class PriceFile
{
    /// <param name="name">The file, named in errors and used as the source of entries that give none.</param>
    public static IReadOnlyList<GpuPrice> Parse(string name, string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ReportException($"{name} is not valid JSON (line {ex.LineNumber + 1}).", ex);
        }

        if (Json.At(root, "prices") is not JsonArray prices)
            throw new ReportException($"{name} has no \"prices\" array (see docs/REPORTS.md for the format).");
        var list = new List<GpuPrice>();
        foreach (var (node, i) in prices.Select((n, i) => (n, i)))
        {
            var key = Json.Text(node, "key");
            var price = Json.Number(node, "on_demand_per_hour");
            var count = Json.Number(node, "gpu_count") ?? 1;
            if (key is null || price is not > 0 || count < 1 || count != Math.Floor(count))
                throw new ReportException($"{name}: prices[{i}] needs a \"key\", a positive \"on_demand_per_hour\" and a whole \"gpu_count\" of at least 1.");
            list.Add(new GpuPrice(
                key,
                Json.Text(node, "gpu") ?? key,
                Json.Text(node, "provider") ?? "user",
                Json.Text(node, "instance_type") ?? "-",
                (int)count,
                price.Value,
                Json.Text(node, "as_of") ?? "unknown date",
                Json.Text(node, "source") ?? name)
            {
                Region = Json.Text(node, "region"),
                SourceNote = Json.Text(node, "source_note"),
            });
        }

        return list;
    }

    public static IReadOnlyList<GpuPrice> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new ReportException($"{path} could not be read ({ex.Message.TrimEnd('.')}).", ex);
        }

        return Parse(path, text);
    }
}
