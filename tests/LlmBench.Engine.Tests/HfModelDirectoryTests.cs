using LlmBench.Engine.Loading;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Formats;

/// <summary>Dummy weights written as a Hugging Face directory for the other frameworks load back as the very same model.</summary>
public sealed class HfModelDirectoryTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("llmbench-hfdir-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    /// <summary>Qwen3's shape switches (qk-norm, tied embedding, two EOS ids) at a size that writes in milliseconds; Qwen's vocabulary so the tokenizer files go along.</summary>
    private static ModelConfig Tiny(ModelFamily family) => ModelPresets.Qwen3_0_6B.Config with
    {
        Family = family,
        ModelType = family.ToString().ToLowerInvariant(),
        HiddenSize = 16,
        IntermediateSize = 24,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        QkNorm = family == ModelFamily.Qwen3,
        AttentionBias = family == ModelFamily.Qwen2,
        TieWordEmbeddings = family != ModelFamily.Llama,
    };

    private static LoadedModel DummyModel(ModelConfig config, ulong seed) => new()
    {
        Config = config,
        Weights = new DummyTensorSource(config, seed),
        IsDummy = true,
        Name = "Tiny-Qwen3",
        Description = "Tiny-Qwen3 (dummy weights)",
    };

    [Theory]
    [InlineData(ModelFamily.Qwen3)]
    [InlineData(ModelFamily.Qwen2)]
    [InlineData(ModelFamily.Llama)]
    public void DummyWeights_WrittenAsAnHfDirectory_LoadBackByteForByte_WithTheSameConfig(ModelFamily family)
    {
        var config = Tiny(family);
        using var dummy = DummyModel(config, seed: 7);
        var folder = HfModelDirectory.For(dummy, _cache);

        Assert.Equal(["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        using var loaded = ModelLoader.Load(new ModelLoadOptions { Model = folder, Format = LoadFormat.Safetensors, Environment = HuggingFaceEnvironment.WithHfHome(_cache) });
        Assert.False(loaded.IsDummy);
        Assert.Equal(config.EosTokenIds, loaded.Config.EosTokenIds);
        Assert.Equal(config with { EosTokenIds = loaded.Config.EosTokenIds }, loaded.Config);
        Assert.Equal(dummy.Weights.Names.Order(StringComparer.Ordinal), loaded.Weights.Names.Order(StringComparer.Ordinal));
        foreach (var name in dummy.Weights.Names)
        {
            var info = dummy.Weights.GetInfo(name);
            Assert.Equal(info, loaded.Weights.GetInfo(name) with { Shape = info.Shape }, TensorInfoComparer.Instance);
            var expected = new byte[info.ByteLength];
            var actual = new byte[info.ByteLength];
            dummy.Weights.ReadRaw(name, expected);
            loaded.Weights.ReadRaw(name, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} differs");
        }
    }

    [Fact]
    public void TheDirectory_IsWrittenOnce_PerModelAndSeed()
    {
        using var first = DummyModel(Tiny(ModelFamily.Qwen3), seed: 1);
        using var again = DummyModel(Tiny(ModelFamily.Qwen3), seed: 1);
        using var otherSeed = DummyModel(Tiny(ModelFamily.Qwen3), seed: 2);
        var told = new List<string>();

        var folder = HfModelDirectory.For(first, _cache, told.Add);
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "model.safetensors"));
        Assert.Equal(folder, HfModelDirectory.For(again, _cache, told.Add));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "model.safetensors")));
        Assert.Single(told);
        Assert.NotEqual(folder, HfModelDirectory.For(otherSeed, _cache, told.Add));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(_cache, "hf-models")).Length);
    }

    [Fact]
    public void RealWeights_AreTheirOwnDirectory()
    {
        var golden = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden/tiny-qwen3");
        using var model = ModelLoader.Load(new ModelLoadOptions { Model = golden, Environment = HuggingFaceEnvironment.WithHfHome(_cache) });
        Assert.Equal(golden, HfModelDirectory.For(model, _cache));
        Assert.False(Directory.Exists(Path.Combine(_cache, "hf-models")));
    }

    private sealed class TensorInfoComparer : IEqualityComparer<TensorInfo>
    {
        public static readonly TensorInfoComparer Instance = new();

        public bool Equals(TensorInfo? x, TensorInfo? y) => x is not null && y is not null && x.Name == y.Name && x.DType == y.DType && x.Shape.SequenceEqual(y.Shape);

        public int GetHashCode(TensorInfo obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
