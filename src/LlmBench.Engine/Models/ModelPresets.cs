namespace LlmBench.Engine.Models;

/// <summary>A built-in model: its published config, so it runs with dummy weights where none can be downloaded.</summary>
/// <param name="Name">The --model name, e.g. "qwen3-0.6b".</param>
/// <param name="RepoId">The Hugging Face repo whose config.json this copies, e.g. "Qwen/Qwen3-0.6B".</param>
public sealed record ModelPreset(string Name, string RepoId, ModelConfig Config)
{
    /// <summary>"Qwen3-0.6B", the repo's model name, for descriptions.</summary>
    public string DisplayName => RepoId[(RepoId.IndexOf('/', StringComparison.Ordinal) + 1)..];
}

/// <summary>The presets, with the values of the published config.json and generation_config.json.</summary>
public static class ModelPresets
{
    public static ModelPreset Qwen3_0_6B { get; } = new("qwen3-0.6b", "Qwen/Qwen3-0.6B", new ModelConfig
    {
        Family = ModelFamily.Qwen3,
        ModelType = "qwen3",
        VocabSize = 151936,
        HiddenSize = 1024,
        IntermediateSize = 3072,
        NumHiddenLayers = 28,
        NumAttentionHeads = 16,
        NumKeyValueHeads = 8,
        HeadDim = 128,
        MaxPositionEmbeddings = 40960,
        RopeTheta = 1_000_000.0,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = true,
        AttentionBias = false,
        QkNorm = true,
        BosTokenId = 151643,
        EosTokenIds = [151645, 151643],
        TorchDtype = "bfloat16",
    });

    public static ModelPreset Qwen2_5_0_5B { get; } = new("qwen2.5-0.5b", "Qwen/Qwen2.5-0.5B", new ModelConfig
    {
        Family = ModelFamily.Qwen2,
        ModelType = "qwen2",
        VocabSize = 151936,
        HiddenSize = 896,
        IntermediateSize = 4864,
        NumHiddenLayers = 24,
        NumAttentionHeads = 14,
        NumKeyValueHeads = 2,
        HeadDim = 64,
        MaxPositionEmbeddings = 32768,
        RopeTheta = 1_000_000.0,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = true,
        AttentionBias = true,
        QkNorm = false,
        BosTokenId = 151643,
        EosTokenIds = [151645, 151643],
        TorchDtype = "bfloat16",
    });

    public static IReadOnlyList<ModelPreset> All { get; } = [Qwen3_0_6B, Qwen2_5_0_5B];

    /// <summary>"qwen3-0.6b, qwen2.5-0.5b" for messages and --help.</summary>
    public static string NameList => string.Join(", ", All.Select(p => p.Name));

    /// <summary>The preset called <paramref name="nameOrRepoId"/> (its name or repo id, any case), or null.</summary>
    public static ModelPreset? Find(string nameOrRepoId) =>
        All.FirstOrDefault(p =>
            string.Equals(p.Name, nameOrRepoId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.RepoId, nameOrRepoId, StringComparison.OrdinalIgnoreCase));
}
