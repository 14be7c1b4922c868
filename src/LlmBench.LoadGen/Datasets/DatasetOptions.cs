namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// The dataset flags of `vllm bench serve`, validated once. Lengths are tokens of the benchmark's tokenizer.
/// </summary>
public sealed record DatasetOptions
{
    /// <summary>random, prefix_repetition, sonnet, sharegpt, custom, or a trace (mooncake_trace, burstgpt).</summary>
    public string Name { get; init; } = "random";

    public string? Path { get; init; }
    public int NumPrompts { get; init; } = 1000;
    public int Seed { get; init; }

    public int RandomInputLength { get; init; } = 1024;
    public int RandomOutputLength { get; init; } = 128;
    public double RandomRangeRatio { get; init; }
    public int RandomPrefixLength { get; init; }

    public int SonnetInputLength { get; init; } = 550;
    public int SonnetOutputLength { get; init; } = 150;
    public int SonnetPrefixLength { get; init; } = 200;

    /// <summary>Overrides the completion length a ShareGPT conversation implies.</summary>
    public int? SharegptOutputLength { get; init; }

    public int CustomOutputLength { get; init; } = 256;

    public int PrefixRepetitionPrefixLength { get; init; } = 256;
    public int PrefixRepetitionSuffixLength { get; init; } = 256;
    public int PrefixRepetitionNumPrefixes { get; init; } = 10;
    public int PrefixRepetitionOutputLength { get; init; } = 128;

    /// <summary>sharegpt: every conversation's turns, sent as a growing chat (ours; vLLM has this only in a separate script).</summary>
    public bool MultiTurn { get; init; }

    public static readonly IReadOnlyList<string> Names = ["random", "prefix_repetition", "sonnet", "sharegpt", "custom", .. TraceDatasets.Names];

    /// <summary>Throws <see cref="ArgumentException"/> with a sentence naming the flag to fix.</summary>
    public void Validate()
    {
        if (!Names.Contains(Name))
            throw new ArgumentException($"--dataset-name must be one of {string.Join(", ", Names)}; got '{Name}'.");
        if (NumPrompts < 1)
            throw new ArgumentException($"--num-prompts must be at least 1, got {NumPrompts}.");
        if (Name is "sharegpt" or "custom" or TraceDatasets.Mooncake or TraceDatasets.BurstGpt && string.IsNullOrEmpty(Path))
            throw new ArgumentException($"--dataset-name {Name} reads a file: give it with --dataset-path.");
        if (Name is "random" or "prefix_repetition" && Path is not null)
            throw new ArgumentException($"--dataset-name {Name} makes its own prompts and takes no --dataset-path.");
        if (MultiTurn && Name != "sharegpt")
            throw new ArgumentException($"--multi-turn replays ShareGPT conversations: use it with --dataset-name sharegpt, not {Name}.");
        if (PrefixRepetitionPrefixLength < 0 || PrefixRepetitionSuffixLength < 1 || PrefixRepetitionNumPrefixes < 1 || PrefixRepetitionOutputLength < 1)
            throw new ArgumentException("--prefix-repetition-prefix-len must be 0 or more, and --prefix-repetition-suffix-len, -num-prefixes and -output-len at least 1.");
        if (RandomInputLength < 1 || RandomOutputLength < 1)
            throw new ArgumentException("--random-input-len and --random-output-len must be at least 1.");
        if (RandomRangeRatio is < 0 or >= 1 || double.IsNaN(RandomRangeRatio))
            throw new ArgumentException($"--random-range-ratio must be in [0, 1), got {RandomRangeRatio}.");
        if (RandomPrefixLength < 0)
            throw new ArgumentException($"--random-prefix-len must be 0 or more, got {RandomPrefixLength}.");
        if (SonnetOutputLength < 1 || CustomOutputLength < 1 || SharegptOutputLength is < 1)
            throw new ArgumentException("Output lengths (--sonnet-output-len, --sharegpt-output-len, --custom-output-len) must be at least 1.");
        if (SonnetPrefixLength < 0 || SonnetInputLength <= SonnetPrefixLength)
            throw new ArgumentException($"--sonnet-input-len ({SonnetInputLength}) must exceed --sonnet-prefix-len ({SonnetPrefixLength}).");
    }
}
