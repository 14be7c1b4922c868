using System.Text.Json;
using LlmBench.Text.Tokenization;

namespace LlmBench.Text.Tests.Tokenization;

/// <summary>
/// A small byte-level BPE tokenizer.json for the features Qwen3's file does not use. Ids 0-255 are the bytes;
/// merges: "h e" → 256 "he", "l l" → 257 "ll", "he ll" → 258 "hell"; 259 is "hello", reachable by no merge.
/// </summary>
internal static class SyntheticTokenizer
{
    public const int He = 256, Ll = 257, Hell = 258, Hello = 259;
    public const string GptSplit = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static string Json(object[]? addedTokens = null, bool ignoreMerges = false, string splitPattern = GptSplit, bool nfc = true, string[][]? merges = null)
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteLevelAlphabet.ToAlphabet([(byte)b])] = b;
        }

        vocab["he"] = He;
        vocab["ll"] = Ll;
        vocab["hell"] = Hell;
        vocab["hello"] = Hello;
        var root = new Dictionary<string, object?>
        {
            ["added_tokens"] = addedTokens ?? [],
            ["normalizer"] = nfc ? new { type = "NFC" } : null,
            ["pre_tokenizer"] = new
            {
                type = "Sequence",
                pretokenizers = new object[]
                {
                    new { type = "Split", pattern = new { Regex = splitPattern }, behavior = "Isolated", invert = false },
                    new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
                },
            },
            ["decoder"] = new { type = "ByteLevel" },
            ["model"] = new { type = "BPE", ignore_merges = ignoreMerges, vocab, merges = merges ?? [["h", "e"], ["l", "l"], ["he", "ll"]] },
        };
        return JsonSerializer.Serialize(root);
    }

    public static object Added(int id, string content, bool special = true, bool normalized = false, bool lstrip = false, bool rstrip = false, bool singleWord = false) =>
        new { id, content, special, normalized, lstrip, rstrip, single_word = singleWord };

    public static ByteLevelBpeTokenizer Create(object[]? addedTokens = null, bool ignoreMerges = false) =>
        TokenizerLoader.Create(System.Text.Encoding.UTF8.GetBytes(Json(addedTokens, ignoreMerges)), "synthetic tokenizer.json");
}
