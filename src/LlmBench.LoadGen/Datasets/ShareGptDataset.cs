using System.Text.Json;
using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// ShareGPT conversations (a JSON array of {"conversations": [{"from", "value"}, …]}) sampled as vLLM
/// samples them: shuffled by the seed, first turn as the prompt, second turn's length as max_tokens
/// (unless --sharegpt-output-len), keeping prompts of 4–1024 tokens and pairs of at most 2048;
/// repeated at random when the file has too few, so the run always has --num-prompts requests.
/// </summary>
public sealed class ShareGptDataset(ITextTokenizer tokenizer)
{
    public const int MinTokens = 4;
    public const int MaxPromptTokens = 1024;
    public const int MaxTotalTokens = 2048;

    public IReadOnlyList<BenchRequest> Sample(DatasetOptions options)
    {
        var pairs = ReadPairs(options.Path!);
        var rng = new Random(options.Seed);
        rng.Shuffle(pairs);
        var requests = new List<BenchRequest>(options.NumPrompts);
        foreach (var (prompt, completion) in pairs)
        {
            if (requests.Count == options.NumPrompts)
                break;
            var promptTokens = tokenizer.Encode(prompt).Length;
            var outputTokens = options.SharegptOutputLength ?? tokenizer.Encode(completion).Length;
            var tooShort = promptTokens < MinTokens || (options.SharegptOutputLength is null && outputTokens < MinTokens);
            if (tooShort || promptTokens > MaxPromptTokens || promptTokens + outputTokens > MaxTotalTokens)
                continue;
            requests.Add(new BenchRequest(prompt, promptTokens, outputTokens));
        }

        if (requests.Count == 0)
            throw new UserErrorException($"{options.Path} has no conversation within ShareGPT's limits (prompt {MinTokens}–{MaxPromptTokens} tokens, at most {MaxTotalTokens} with the answer).");
        return Oversample(requests, options.NumPrompts, rng);
    }

    internal static IReadOnlyList<BenchRequest> Oversample(List<BenchRequest> requests, int count, Random rng)
    {
        var original = requests.Count;
        while (requests.Count < count)
            requests.Add(requests[rng.Next(original)]);
        return requests;
    }

    private static (string Prompt, string Completion)[] ReadPairs(string path)
    {
        using var doc = DatasetFile.ParseJson(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new UserErrorException($"{path} is not a ShareGPT file: its top level must be a JSON array of conversations.");
        var pairs = new List<(string, string)>();
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("conversations", out var turns)
                || turns.ValueKind != JsonValueKind.Array
                || turns.GetArrayLength() < 2)
                continue;
            var prompt = TurnText(turns[0]);
            var completion = TurnText(turns[1]);
            if (prompt is not null && completion is not null)
                pairs.Add((prompt, completion));
        }

        return [.. pairs];
    }

    private static string? TurnText(JsonElement turn) =>
        turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
