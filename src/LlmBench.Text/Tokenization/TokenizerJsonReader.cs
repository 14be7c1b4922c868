using System.Text.Json;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// Reads Hugging Face tokenizer.json files of the byte-level BPE kind (GPT-2, Qwen, Llama 3): model.vocab and
/// model.merges, added_tokens, an NFC or absent normalizer, and a pre-tokenizer that is either
/// Sequence[Split(Regex, Isolated), ByteLevel(use_regex: false)] or ByteLevel(use_regex: true). Anything else is
/// refused with a sentence naming what is unsupported, rather than tokenized wrongly.
/// </summary>
internal static class TokenizerJsonReader
{
    // What HF's ByteLevel pre-tokenizer splits with when use_regex is true (GPT-2's pattern).
    private const string ByteLevelPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static TokenizerDefinition Read(byte[] utf8Json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{source} is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, source);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new UserErrorException($"{source} is malformed: a field has the wrong type or is missing ({ex.Message}).", ex);
            }
        }
    }

    private static TokenizerDefinition Read(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out JsonElement model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new UserErrorException($"{source} has no \"model\" object.");
        }

        string modelType = model.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? "" : "BPE";
        if (modelType != "BPE")
        {
            throw new UserErrorException($"{source} uses a {modelType} model; only byte-level BPE tokenizers are supported.");
        }

        var vocabulary = model.GetProperty("vocab").EnumerateObject()
            .Select(p => new KeyValuePair<string, int>(p.Name, p.Value.GetInt32())).ToList();
        var merges = model.GetProperty("merges").EnumerateArray().Select(MergeText).ToList();
        if (vocabulary.Count == 0)
        {
            throw new UserErrorException($"{source} has an empty vocabulary.");
        }

        return new TokenizerDefinition
        {
            Vocabulary = vocabulary,
            Merges = merges,
            AddedTokens = root.TryGetProperty("added_tokens", out JsonElement added) && added.ValueKind == JsonValueKind.Array
                ? added.EnumerateArray().Select(ReadAddedToken).ToList()
                : [],
            Nfc = ReadNormalizer(root.TryGetProperty("normalizer", out JsonElement n) ? n : default, source),
            SplitPattern = ReadSplitPattern(root.TryGetProperty("pre_tokenizer", out JsonElement p) ? p : default, source),
            IgnoreMerges = model.TryGetProperty("ignore_merges", out JsonElement im) && im.ValueKind == JsonValueKind.True,
        };
    }

    // Merges are "left right" strings in older files and [left, right] pairs in newer ones.
    private static string MergeText(JsonElement merge) => merge.ValueKind == JsonValueKind.Array
        ? merge[0].GetString() + " " + merge[1].GetString()
        : merge.GetString() ?? throw new FormatException("a merge is null");

    private static AddedToken ReadAddedToken(JsonElement token) => new(
        token.GetProperty("id").GetInt32(),
        token.GetProperty("content").GetString() ?? throw new FormatException("an added token has no content"),
        Flag(token, "special"),
        Flag(token, "normalized"),
        Flag(token, "lstrip"),
        Flag(token, "rstrip"),
        Flag(token, "single_word"));

    private static bool Flag(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True;

    private static bool ReadNormalizer(JsonElement normalizer, string source)
    {
        if (normalizer.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return false;
        }

        string type = TypeOf(normalizer);
        if (type == "NFC")
        {
            return true;
        }

        if (type == "Sequence" && normalizer.GetProperty("normalizers").EnumerateArray().All(x => TypeOf(x) == "NFC"))
        {
            return normalizer.GetProperty("normalizers").GetArrayLength() > 0;
        }

        throw new UserErrorException($"{source} uses a {type} normalizer; only NFC (or none) is supported.");
    }

    private static string ReadSplitPattern(JsonElement pre, string source)
    {
        string type = pre.ValueKind == JsonValueKind.Object ? TypeOf(pre) : "missing";
        if (type == "ByteLevel" && Flag(pre, "use_regex") && !Flag(pre, "add_prefix_space"))
        {
            return ByteLevelPattern;
        }

        if (type == "Sequence")
        {
            var steps = pre.GetProperty("pretokenizers").EnumerateArray().ToList();
            if (steps.Count == 2 && TypeOf(steps[0]) == "Split" && TypeOf(steps[1]) == "ByteLevel"
                && !Flag(steps[1], "use_regex") && !Flag(steps[1], "add_prefix_space")
                && steps[0].GetProperty("behavior").GetString() == "Isolated" && !Flag(steps[0], "invert")
                && steps[0].GetProperty("pattern").TryGetProperty("Regex", out JsonElement regex))
            {
                return regex.GetString() ?? throw new FormatException("the split regex is null");
            }
        }

        throw new UserErrorException(
            $"{source} has a pre-tokenizer this tokenizer does not support ({type}); supported are byte-level "
            + "ones: Sequence[Split(Regex, Isolated), ByteLevel] or ByteLevel(use_regex).");
    }

    private static string TypeOf(JsonElement e) =>
        e.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? "" : "";
}
