using System.Text.Json;
using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// Prompts of one's own, as vLLM's custom dataset reads them: JSON Lines with one {"prompt": "…"} per
/// line (a JSON array of such objects also works). An entry's "output_tokens" sets its max_tokens,
/// otherwise --custom-output-len does. The first --num-prompts entries after a seeded shuffle are used,
/// repeated at random when the file has fewer.
/// </summary>
public sealed class CustomDataset(ITextTokenizer tokenizer)
{
    public IReadOnlyList<BenchRequest> Sample(DatasetOptions options)
    {
        var path = options.Path!;
        var entries = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadArray(path) : ReadLines(path);
        if (entries.Count == 0)
            throw new UserErrorException($"{path} has no entries with a \"prompt\".");
        var rng = new Random(options.Seed);
        var shuffled = entries.ToArray();
        rng.Shuffle(shuffled);
        var requests = shuffled.Take(options.NumPrompts)
            .Select(e => new BenchRequest(e.Prompt, tokenizer.Encode(e.Prompt).Length, e.OutputTokens ?? options.CustomOutputLength))
            .ToList();
        return ShareGptDataset.Oversample(requests, options.NumPrompts, rng);
    }

    private static List<(string Prompt, int? OutputTokens)> ReadLines(string path)
    {
        var entries = new List<(string, int?)>();
        var lineNumber = 0;
        foreach (var line in DatasetFile.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                entries.Add(Entry(doc.RootElement, $"{path}:{lineNumber}"));
            }
            catch (JsonException ex)
            {
                throw new UserErrorException($"{path}:{lineNumber} is not valid JSON ({ex.Message}).", ex);
            }
        }

        return entries;
    }

    private static List<(string Prompt, int? OutputTokens)> ReadArray(string path)
    {
        using var doc = DatasetFile.ParseJson(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new UserErrorException($"{path} must be a JSON array of {{\"prompt\": …}} objects, or JSON Lines.");
        return doc.RootElement.EnumerateArray().Select((e, i) => Entry(e, $"{path} entry {i}")).ToList();
    }

    private static (string Prompt, int? OutputTokens) Entry(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String)
            throw new UserErrorException($"{where} has no string \"prompt\".");
        int? output = e.TryGetProperty("output_tokens", out var o) && o.TryGetInt32(out var n) && n > 0 ? n : null;
        return (prompt.GetString()!, output);
    }
}
