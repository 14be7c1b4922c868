namespace LlmBench.Text.Tokenization;

/// <summary>
/// Where a model's tokenizer comes from: its own directory (tokenizer.json, with tokenizer_config.json beside it
/// when there is one), or the Qwen3 tokenizer built into this assembly.
/// </summary>
public static class TokenizerLoader
{
    public const string TokenizerFile = "tokenizer.json";
    public const string ConfigFile = "tokenizer_config.json";

    private static readonly Lazy<ByteLevelBpeTokenizer> EmbeddedQwen3 = new(() => Create(
        EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerJson),
        "the built-in Qwen3 tokenizer.json",
        EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerConfigJson),
        "the built-in Qwen3 tokenizer_config.json"));

    /// <summary>Qwen3's tokenizer, shipped inside the product; decompressed and built once, on first use.</summary>
    public static ByteLevelBpeTokenizer Qwen3 => EmbeddedQwen3.Value;

    /// <summary>The ids the built-in Qwen3 tokenizer can produce: 151,669.</summary>
    public const int Qwen3VocabSize = 151_669;

    /// <summary>Loads the tokenizer in <paramref name="modelDirectory"/>; tokenizer_config.json is optional.</summary>
    public static ByteLevelBpeTokenizer FromDirectory(string modelDirectory)
    {
        string json = Path.Combine(modelDirectory, TokenizerFile);
        string config = Path.Combine(modelDirectory, ConfigFile);
        return File.Exists(config) ? Create(ReadFile(json), json, ReadFile(config), config) : Create(ReadFile(json), json);
    }

    /// <summary>
    /// The tokenizer for a model: its directory's own when it has tokenizer.json; otherwise the built-in Qwen3 one
    /// when the model's embedding has a row for every id Qwen3 can produce (vocab_size ≥ 151,669, as in every
    /// Qwen2/2.5/3 model, whose configs say 151,936 or 152,064); otherwise null, and the model can only take
    /// token ids (its ids would mean nothing to Qwen3's tokenizer, or index past its embedding).
    /// </summary>
    public static ByteLevelBpeTokenizer? ForModel(string? modelDirectory, int modelVocabSize)
    {
        if (modelDirectory is not null && File.Exists(Path.Combine(modelDirectory, TokenizerFile)))
        {
            return FromDirectory(modelDirectory);
        }

        return EmbeddedFits(modelVocabSize) ? Qwen3 : null;
    }

    /// <summary>Writes the built-in Qwen3 tokenizer.json and tokenizer_config.json into <paramref name="directory"/>, as a model directory holds them.</summary>
    public static void WriteQwen3Files(string directory)
    {
        File.WriteAllBytes(Path.Combine(directory, TokenizerFile), EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerJson));
        File.WriteAllBytes(Path.Combine(directory, ConfigFile), EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerConfigJson));
    }

    /// <summary>The fallback rule of <see cref="ForModel"/>.</summary>
    public static bool EmbeddedFits(int modelVocabSize) => modelVocabSize >= Qwen3VocabSize;

    /// <summary>A tokenizer from the contents of tokenizer.json and (optionally) tokenizer_config.json.</summary>
    /// <param name="tokenizerSource">Names the file in error messages, as <paramref name="configSource"/> does.</param>
    public static ByteLevelBpeTokenizer Create(byte[] tokenizerJson, string tokenizerSource, byte[]? tokenizerConfigJson = null, string? configSource = null)
    {
        TokenizerDefinition definition = TokenizerJsonReader.Read(tokenizerJson, tokenizerSource);
        TokenizerConfig config = tokenizerConfigJson is null
            ? TokenizerConfig.Empty
            : TokenizerConfig.Read(tokenizerConfigJson, configSource ?? ConfigFile);
        return new ByteLevelBpeTokenizer(definition, config, tokenizerSource);
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"Cannot read {path}: {ex.Message}", ex);
        }
    }
}
