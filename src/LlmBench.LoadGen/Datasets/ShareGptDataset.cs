using System.Text.Json;
using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// ShareGPT conversations (a JSON array of {"conversations": [{"from", "value"}, …]}) sampled as vLLM
/// samples them: shuffled by the seed, first turn as the prompt, second turn's length as max_tokens
/// (unless --sharegpt-output-len), keeping prompts of 4–1024 tokens and pairs of at most 2048;
/// repeated at random when the file has too few, so the run always has --num-prompts requests.
/// With --multi-turn (<see cref="DatasetOptions.MultiTurn"/>) a conversation that passes those limits also keeps its
/// later (user, answer) pairs, in order, while the whole chat stays within 2048 tokens; they are sent as a growing chat.
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
        foreach (var turns in pairs)
        {
            if (requests.Count == options.NumPrompts)
                break;
            var (prompt, completion) = turns[0];
            var promptTokens = tokenizer.Encode(prompt).Length;
            var outputTokens = options.SharegptOutputLength ?? tokenizer.Encode(completion).Length;
            var tooShort = promptTokens < MinTokens || (options.SharegptOutputLength is null && outputTokens < MinTokens);
            if (tooShort || promptTokens > MaxPromptTokens || promptTokens + outputTokens > MaxTotalTokens)
                continue;
            var request = new BenchRequest(prompt, promptTokens, outputTokens);
            requests.Add(options.MultiTurn ? request with { LaterTurns = LaterTurns(turns, promptTokens + outputTokens, options) } : request);
        }

        if (requests.Count == 0)
            throw new UserErrorException($"{options.Path} has no conversation within ShareGPT's limits (prompt {MinTokens}–{MaxPromptTokens} tokens, at most {MaxTotalTokens} with the answer).");
        return Oversample(requests, options.NumPrompts, rng);
    }

    /// <summary>The pairs after the first while the chat (every prompt and answer so far) stays within <see cref="MaxTotalTokens"/>.</summary>
    private List<BenchRequest> LaterTurns(List<(string Prompt, string Completion)> turns, int chatTokens, DatasetOptions options)
    {
        var later = new List<BenchRequest>();
        foreach (var (prompt, completion) in turns.Skip(1))
        {
            var promptTokens = tokenizer.Encode(prompt).Length;
            var outputTokens = Math.Max(1, options.SharegptOutputLength ?? tokenizer.Encode(completion).Length);
            chatTokens += promptTokens + outputTokens;
            if (promptTokens == 0 || chatTokens > MaxTotalTokens)
                break;
            later.Add(new BenchRequest(prompt, promptTokens, outputTokens));
        }

        return later;
    }

    internal static IReadOnlyList<BenchRequest> Oversample(List<BenchRequest> requests, int count, Random rng)
    {
        var original = requests.Count;
        while (requests.Count < count)
            requests.Add(requests[rng.Next(original)]);
        return requests;
    }

    /// <summary>Each conversation's (prompt, answer) pairs: turns 0 and 1, 2 and 3, …; conversations without one pair are left out.</summary>
    private static List<(string Prompt, string Completion)>[] ReadPairs(string path)
    {
        using var doc = DatasetFile.ParseJson(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
            throw new UserErrorException($"{path} is not a ShareGPT file: its top level must be a JSON array of conversations.");
        var conversations = new List<List<(string, string)>>();
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("conversations", out var turns)
                || turns.ValueKind != JsonValueKind.Array
                || turns.GetArrayLength() < 2)
                continue;
            var pairs = new List<(string, string)>();
            for (int i = 0; i + 1 < turns.GetArrayLength(); i += 2)
            {
                var prompt = TurnText(turns[i]);
                var completion = TurnText(turns[i + 1]);
                if (prompt is null || completion is null)
                    break;
                pairs.Add((prompt, completion));
            }

            if (pairs.Count > 0)
                conversations.Add(pairs);
        }

        return [.. conversations];
    }

    private static string? TurnText(JsonElement turn) =>
        turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
