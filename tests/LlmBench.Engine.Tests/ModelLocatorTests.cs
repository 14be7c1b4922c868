using LlmBench.Engine.Loading;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Formats;

public class ModelLocatorTests
{
    private static LoadedModel Load(string model, LoadFormat format, HuggingFaceEnvironment environment, ulong seed = 0) =>
        ModelLoader.Load(new ModelLoadOptions { Model = model, Format = format, Environment = environment, DummySeed = seed });

    /// <summary>An HF_HOME with nothing downloaded.</summary>
    private static HuggingFaceEnvironment EmptyCache(ConfigScratchDirectory home) => HuggingFaceEnvironment.WithHfHome(home.Path);

    /// <summary>Puts a golden model into a fake cache as hub/models--Org--Name/snapshots/&lt;revision&gt;/.</summary>
    private static string AddSnapshot(ConfigScratchDirectory home, string repoId, string revision, string golden, bool withWeights = true)
    {
        var snapshot = Path.Combine(HuggingFaceCache.RepoDirectory(Path.Combine(home.Path, "hub"), repoId), "snapshots", revision);
        Directory.CreateDirectory(snapshot);
        var files = withWeights ? new[] { "config.json", "model.safetensors" } : ["config.json"];
        foreach (var file in files)
            File.Copy(ConfigTestFixtures.GoldenFile(golden, file), Path.Combine(snapshot, file));
        return snapshot;
    }

    [Fact]
    public void ModelDirectory_LoadsItsSafetensors()
    {
        using var home = new ConfigScratchDirectory();
        var dir = ConfigTestFixtures.GoldenDirectory("tiny-qwen2");

        using var model = Load(dir, LoadFormat.Auto, EmptyCache(home));

        Assert.False(model.IsDummy);
        Assert.Equal(ModelFamily.Qwen2, model.Config.Family);
        Assert.Equal(dir, model.ModelDirectory);
        Assert.Equal("tiny-qwen2", model.Name);
        Assert.IsType<SafetensorsFile>(model.Weights);
        Assert.Contains("model.layers.2.self_attn.v_proj.bias", model.Weights.Names);
        Assert.Null(model.Notice);
    }

    [Fact]
    public void ModelDirectory_WithDummyFormat_KeepsItsConfigButGeneratesWeights()
    {
        using var home = new ConfigScratchDirectory();

        using var model = Load(ConfigTestFixtures.GoldenDirectory("tiny-qwen3-bf16"), LoadFormat.Dummy, EmptyCache(home));

        Assert.True(model.IsDummy);
        Assert.Equal("tiny-qwen3-bf16 (dummy weights)", model.Description);
        Assert.Equal([1024L, 128], model.Weights.GetInfo("lm_head.weight").Shape);
        Assert.IsType<DummyTensorSource>(model.Weights);
    }

    [Fact]
    public void RepoId_IsFoundInTheCache_AtTheSnapshotRefsMainNames()
    {
        using var home = new ConfigScratchDirectory();
        var main = AddSnapshot(home, "Org/Tiny", "aaa111", "tiny-qwen3");
        var newer = AddSnapshot(home, "Org/Tiny", "bbb222", "tiny-qwen2");
        Directory.SetLastWriteTimeUtc(main, DateTime.UtcNow.AddDays(-2));
        home.Write("hub/models--Org--Tiny/refs/main", "aaa111\n");

        using var model = Load("Org/Tiny", LoadFormat.Auto, EmptyCache(home));

        Assert.Equal(main, model.ModelDirectory);
        Assert.Equal(ModelFamily.Qwen3, model.Config.Family);
        Assert.Equal("Tiny", model.Name);
        Assert.False(model.IsDummy);
        Assert.NotEqual(newer, model.ModelDirectory);
    }

    [Fact]
    public void RepoId_WithoutRefsMain_TakesTheNewestSnapshot()
    {
        using var home = new ConfigScratchDirectory();
        var older = AddSnapshot(home, "Org/Tiny", "aaa111", "tiny-qwen3");
        var newer = AddSnapshot(home, "Org/Tiny", "bbb222", "tiny-qwen2");
        Directory.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddDays(-2));
        Directory.SetLastWriteTimeUtc(newer, DateTime.UtcNow.AddDays(-1));

        using var model = Load("Org/Tiny", LoadFormat.Auto, EmptyCache(home));

        Assert.Equal(newer, model.ModelDirectory);
        Assert.Equal(ModelFamily.Qwen2, model.Config.Family);
    }

    /// <summary>huggingface_hub stores files once under blobs/ and links them from each snapshot.</summary>
    [Fact]
    public void SnapshotFilesLinkedToBlobs_AreFollowed()
    {
        using var home = new ConfigScratchDirectory();
        var repo = HuggingFaceCache.RepoDirectory(Path.Combine(home.Path, "hub"), "Org/Linked");
        var snapshot = Path.Combine(repo, "snapshots", "c0ffee");
        Directory.CreateDirectory(snapshot);
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        foreach (var (file, blob) in new[] { ("config.json", "1a2b"), ("model.safetensors", "3c4d") })
        {
            File.Copy(ConfigTestFixtures.GoldenFile("tiny-qwen3", file), Path.Combine(repo, "blobs", blob));
            File.CreateSymbolicLink(Path.Combine(snapshot, file), Path.Combine("..", "..", "blobs", blob));
        }

        using var model = Load("Org/Linked", LoadFormat.Safetensors, EmptyCache(home));

        Assert.Equal(snapshot, model.ModelDirectory);
        Assert.Equal(32, model.Weights.GetInfo("model.layers.0.self_attn.q_norm.weight").ElementCount);
    }

    [Fact]
    public void HubDirectory_FollowsHuggingFacePrecedence()
    {
        Assert.Equal("/c/hub", new HuggingFaceEnvironment("/c/hub", "/h", "/x", "/home/u").HubCacheDirectory);
        Assert.Equal(Path.Combine("/h", "hub"), new HuggingFaceEnvironment(null, "/h", "/x", "/home/u").HubCacheDirectory);
        Assert.Equal(Path.Combine("/x", "huggingface", "hub"), new HuggingFaceEnvironment(null, null, "/x", "/home/u").HubCacheDirectory);
        Assert.Equal(Path.Combine("/home/u", ".cache", "huggingface", "hub"), new HuggingFaceEnvironment(null, null, null, "/home/u").HubCacheDirectory);
        Assert.Null(new HuggingFaceEnvironment(null, null, null, null).HubCacheDirectory);
    }

    [Theory]
    [InlineData("qwen3-0.6b")]
    [InlineData("QWEN3-0.6B")]
    [InlineData("Qwen/Qwen3-0.6B")]
    public void Preset_NotDownloaded_RunsOnDummyWeights_AndSaysSo(string name)
    {
        using var home = new ConfigScratchDirectory();

        using var model = Load(name, LoadFormat.Auto, EmptyCache(home));

        Assert.True(model.IsDummy);
        Assert.Same(ModelPresets.Qwen3_0_6B.Config, model.Config);
        Assert.Equal("Qwen3-0.6B (dummy weights)", model.Description);
        Assert.Null(model.ModelDirectory);
        Assert.Same(ModelPresets.Qwen3_0_6B, model.Preset);
        Assert.Contains("dummy weights", model.Notice, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(home.Path, "hub", "models--Qwen--Qwen3-0.6B"), model.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Preset_Downloaded_LoadsTheRealWeights()
    {
        using var home = new ConfigScratchDirectory();
        var snapshot = AddSnapshot(home, "Qwen/Qwen2.5-0.5B", "rev", "tiny-qwen2");

        using var model = Load("qwen2.5-0.5b", LoadFormat.Auto, EmptyCache(home));

        Assert.False(model.IsDummy);
        Assert.Equal(snapshot, model.ModelDirectory);
        Assert.Equal(1024, model.Config.VocabSize);
    }

    [Fact]
    public void Preset_SnapshotWithoutWeights_FallsBackToDummy_ButSafetensorsFormatRefuses()
    {
        using var home = new ConfigScratchDirectory();
        var snapshot = AddSnapshot(home, "Qwen/Qwen3-0.6B", "rev", "tiny-qwen3", withWeights: false);

        using (var model = Load("qwen3-0.6b", LoadFormat.Auto, EmptyCache(home)))
        {
            Assert.True(model.IsDummy);
            Assert.Equal(snapshot, model.ModelDirectory);
            Assert.Contains("dummy weights", model.Notice, StringComparison.Ordinal);
        }

        var ex = Assert.Throws<UserErrorException>(() => Load("qwen3-0.6b", LoadFormat.Safetensors, EmptyCache(home)));
        Assert.Contains("--load-format dummy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preset_WithSafetensorsFormat_AndNothingDownloaded_SaysWhereItLooked()
    {
        using var home = new ConfigScratchDirectory();

        var ex = Assert.Throws<UserErrorException>(() => Load("qwen2.5-0.5b", LoadFormat.Safetensors, EmptyCache(home)));

        Assert.Contains(Path.Combine(home.Path, "hub", "models--Qwen--Qwen2.5-0.5B"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("--load-format dummy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preset_WithDummyFormat_SeedsTheWeights()
    {
        using var home = new ConfigScratchDirectory();
        using var a = Load("qwen3-0.6b", LoadFormat.Dummy, EmptyCache(home), seed: 1);
        using var b = Load("qwen3-0.6b", LoadFormat.Dummy, EmptyCache(home), seed: 2);
        var first = new float[1024];
        var second = new float[1024];

        a.Weights.ReadFloat32("model.norm.weight", first);
        b.Weights.ReadFloat32("model.norm.weight", second);

        Assert.NotEqual(first, second);
        Assert.Null(a.Notice);
    }

    [Theory]
    [InlineData("Nope/Missing", "models--Nope--Missing")]
    [InlineData("no-such-model", "not a Hugging Face repo id")]
    public void UnknownModel_IsOneSentenceSayingWhereItLookedAndSuggestingDummy(string name, string expected)
    {
        using var home = new ConfigScratchDirectory();

        var ex = Assert.Throws<UserErrorException>(() => Load(name, LoadFormat.Auto, EmptyCache(home)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("qwen3-0.6b", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--load-format dummy", ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Message.Split(". ", StringSplitOptions.None));
    }

    [Fact]
    public void DirectoryWithoutWeights_SuggestsDummy_AndDummyRunsIt()
    {
        using var home = new ConfigScratchDirectory();
        using var dir = new ConfigScratchDirectory();
        File.Copy(ConfigTestFixtures.GoldenFile("tiny-qwen3", "config.json"), dir.File("config.json"));

        var ex = Assert.Throws<UserErrorException>(() => Load(dir.Path, LoadFormat.Auto, EmptyCache(home)));
        Assert.Contains("--load-format dummy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);

        using var model = Load(dir.Path, LoadFormat.Dummy, EmptyCache(home));
        Assert.True(model.IsDummy);
    }

    [Fact]
    public void CheckpointMissingATensor_IsAUserErrorNamingIt()
    {
        using var home = new ConfigScratchDirectory();
        using var dir = new ConfigScratchDirectory();
        File.Copy(ConfigTestFixtures.GoldenFile("tiny-qwen3", "config.json"), dir.File("config.json"));
        using (var golden = SafetensorsFile.Open(ConfigTestFixtures.GoldenFile("tiny-qwen3", "model.safetensors")))
        {
            var tensors = SafetensorsTestWriter.ReadAll(golden).Where(t => t.Name != "model.layers.0.self_attn.q_norm.weight").ToList();
            File.WriteAllBytes(dir.File("model.safetensors"), SafetensorsTestWriter.Build(tensors));
        }

        var ex = Assert.Throws<UserErrorException>(() => Load(dir.Path, LoadFormat.Safetensors, EmptyCache(home)));

        Assert.Contains("model.layers.0.self_attn.q_norm.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyModelName_IsAUserError()
    {
        using var home = new ConfigScratchDirectory();

        Assert.Throws<UserErrorException>(() => Load("  ", LoadFormat.Auto, EmptyCache(home)));
    }

    [Theory]
    [InlineData("Qwen/Qwen3-0.6B", true)]
    [InlineData("meta-llama/Llama-3.2-1B", true)]
    [InlineData("qwen3-0.6b", false)]
    [InlineData("a/b/c", false)]
    [InlineData("../etc", false)]
    [InlineData("Org/..", false)]
    public void RepoIdShape_IsRecognized(string text, bool isRepoId) =>
        Assert.Equal(isRepoId, HuggingFaceCache.IsRepoId(text));
}
