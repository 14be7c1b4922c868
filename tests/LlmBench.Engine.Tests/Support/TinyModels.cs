using LlmBench.Engine.Models;

namespace LlmBench.Engine.Tests.Support;

/// <summary>Small configs of the three families, sized so a forward pass takes milliseconds.</summary>
internal static class TinyModels
{
    public static ModelConfig Qwen3(int vocab = 97, int maxPositions = 512) => new()
    {
        Family = ModelFamily.Qwen3,
        ModelType = "qwen3",
        VocabSize = vocab,
        HiddenSize = 64,
        IntermediateSize = 96,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 16,
        MaxPositionEmbeddings = maxPositions,
        RopeTheta = 1_000_000,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = true,
        QkNorm = true,
        EosTokenIds = [vocab - 1],
    };

    public static ModelConfig Qwen2() => Qwen3() with
    {
        Family = ModelFamily.Qwen2,
        ModelType = "qwen2",
        QkNorm = false,
        AttentionBias = true,
        TieWordEmbeddings = false,
        RopeTheta = 10_000,
    };

    public static ModelConfig Llama() => Qwen3() with
    {
        Family = ModelFamily.Llama,
        ModelType = "llama",
        QkNorm = false,
        TieWordEmbeddings = false,
        NumKeyValueHeads = 1,
        RopeTheta = 500_000,
        RmsNormEps = 1e-5,
        RopeScaling = new RopeScaling("llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 64),
    };

    public static IEnumerable<TheoryDataRow<string>> Families() => [new("qwen3"), new("qwen2"), new("llama")];

    public static ModelConfig ByName(string family) => family switch
    {
        "qwen3" => Qwen3(),
        "qwen2" => Qwen2(),
        "llama" => Llama(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };

    /// <summary>Seeded random prompt ids in [0, vocab - 1) (never the EOS id).</summary>
    public static int[] Prompt(int length, int seed, int vocab = 97)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.Next(vocab - 1)).ToArray();
    }
}
