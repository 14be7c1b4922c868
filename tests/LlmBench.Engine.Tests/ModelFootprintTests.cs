using System.Text.Json.Nodes;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Formats;

/// <summary>Config values that pass the field checks but no machine can run: one sentence each, nothing allocated (issue 11).</summary>
public class ModelFootprintTests
{
    private static string Config(string field, string value)
    {
        var json = JsonNode.Parse(File.ReadAllText(ConfigTestFixtures.GoldenFile("tiny-qwen3", "config.json")))!.AsObject();
        json[field] = JsonNode.Parse(value);
        return json.ToJsonString();
    }

    [Theory]
    [InlineData("intermediate_size", "2147483647", "out of range")]
    [InlineData("vocab_size", "2147483647", "out of range")]
    [InlineData("hidden_size", "2147483647", "out of range")]
    [InlineData("intermediate_size", "1e12", "out of range")]
    [InlineData("intermediate_size", "1000000000000", "out of range")]
    [InlineData("num_attention_heads", "2147483647", "must be a multiple")]
    public void Sizes_no_array_holds_are_one_sentence_not_an_overflow(string field, string value, string expected)
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", Config(field, value));

        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("must be an integer", ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Message.Split(". ", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_model_larger_than_memory_is_refused_before_anything_is_allocated()
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", Config("num_hidden_layers", "100000").Replace("\"hidden_size\":128", "\"hidden_size\":4096", StringComparison.Ordinal));
        var config = ModelConfigReader.ReadDirectory(dir.Path) with { HiddenSize = 4096, IntermediateSize = 16384 };
        var small = ModelConfigReader.ReadDirectory(ConfigTestFixtures.GoldenDirectory("tiny-qwen3"));
        using var weights = new DummyTensorSource(small, 0);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<UserErrorException>(() => CpuEngine.Create(config, weights, new EngineOptions { MaxNumSeqs = 2, MaxNumBatchedTokens = 64 }));

        Assert.Contains("is available", ex.Message, StringComparison.Ordinal);
        Assert.Contains("100000 layers", ex.Message, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void The_default_cpu_kv_cache_follows_the_memory_left()
    {
        Assert.Equal(EngineOptions.DefaultCpuKvCacheMemoryBytes, CpuEngine.DefaultKvCacheMemoryBytes(100L << 20));
        Assert.Equal(3L << 30, CpuEngine.DefaultKvCacheMemoryBytes(6L << 30));
        Assert.Equal(CpuEngine.MaxDefaultKvCacheMemoryBytes, CpuEngine.DefaultKvCacheMemoryBytes(200L << 30));
    }

    [Fact]
    public void Parameter_count_matches_the_layout()
    {
        var config = ModelConfigReader.ReadDirectory(ConfigTestFixtures.GoldenDirectory("tiny-qwen3"));
        var expected = ModelTensorLayout.Expected(config).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        Assert.Equal(expected, ModelFootprint.ParameterCount(config));
    }
}
