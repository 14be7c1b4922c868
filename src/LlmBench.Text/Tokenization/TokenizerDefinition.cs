namespace LlmBench.Text.Tokenization;

/// <summary>What a byte-level BPE tokenizer.json defines, validated (see <see cref="TokenizerJsonReader"/>).</summary>
internal sealed record TokenizerDefinition
{
    /// <summary>Byte-level vocabulary entries ("Ġworld") and their ids; added tokens excluded.</summary>
    public required IReadOnlyList<KeyValuePair<string, int>> Vocabulary { get; init; }

    /// <summary>Merges by rank, each as "left right".</summary>
    public required IReadOnlyList<string> Merges { get; init; }

    public required IReadOnlyList<AddedToken> AddedTokens { get; init; }

    /// <summary>The normalizer is NFC (otherwise there is none).</summary>
    public required bool Nfc { get; init; }

    /// <summary>The pre-tokenizer's split regex in Oniguruma syntax, as tokenizer.json gives it.</summary>
    public required string SplitPattern { get; init; }

    /// <summary>A pre-token that is itself in the vocabulary becomes that id without merging (Llama 3).</summary>
    public bool IgnoreMerges { get; init; }
}
