namespace LlmBench.Engine.Loading;

/// <summary>What to load and from where; immutable, built once by the CLI from its flags.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>--model: a directory with config.json, a Hugging Face repo id ("Qwen/Qwen3-0.6B"), or a preset name.</summary>
    public required string Model { get; init; }

    public LoadFormat Format { get; init; } = LoadFormat.Auto;

    /// <summary>Seed of dummy weights; the same seed gives the same weights on every machine.</summary>
    public ulong DummySeed { get; init; }

    /// <summary>Where the Hugging Face cache is (see <see cref="HuggingFaceEnvironment.FromProcess"/>).</summary>
    public required HuggingFaceEnvironment Environment { get; init; }
}
