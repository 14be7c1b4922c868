using System.Text.Json;
using LlmBench.Text.Tokenization;

namespace LlmBench.Text.Tests.Tokenization;

/// <summary>qwen3_reference_ids.json: what HF tokenizers / transformers produced for Qwen3 (see README.md).</summary>
public sealed record Qwen3Reference(
    string MadeBy,
    int VocabSizeWithAdded,
    int VocabSizeWithoutAdded,
    Dictionary<string, int> AddedTokens,
    List<ReferenceCase> Cases,
    ReferenceChat Chat)
{
    private static readonly Lazy<Qwen3Reference> Shared = new(() => JsonSerializer.Deserialize<Qwen3Reference>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tokenization", "qwen3_reference_ids.json")),
        new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!);

    public static Qwen3Reference Instance => Shared.Value;

    public static ByteLevelBpeTokenizer Tokenizer => TokenizerLoader.Qwen3;

    public static TheoryData<int> CaseIndexes() => new(Enumerable.Range(0, Instance.Cases.Count));

    public static TheoryData<int> SingleTokenCaseIndexes() =>
        new(Enumerable.Range(0, Instance.Cases.Count).Where(i => Instance.Cases[i].SingleTokenDecodes is not null));

    public static TheoryData<int> ChatIndexes() => new(Enumerable.Range(0, Instance.Chat.Cases.Count));
}

public sealed record ReferenceCase(
    string Kind,
    string Text,
    int[] Ids,
    string[] Tokens,
    string Normalized,
    string[] PreTokens,
    string Decoded,
    string DecodedSkipSpecial,
    string[]? SingleTokenDecodes);

public sealed record ReferenceChat(string MadeBy, int EosTokenId, int PadTokenId, int LenTokenizer, List<ReferenceChatCase> Cases);

public sealed record ReferenceChatCase(
    string Name,
    List<ReferenceMessage> Messages,
    bool AddGenerationPrompt,
    bool? EnableThinking,
    string Text,
    int[] Ids,
    bool TransformersIdsEqual);

public sealed record ReferenceMessage(string Role, string Content);
