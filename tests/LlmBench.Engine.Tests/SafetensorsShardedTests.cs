using LlmBench.Engine.Weights;
using static LlmBench.Engine.Tests.Formats.SafetensorsTestWriter;

namespace LlmBench.Engine.Tests.Formats;

public class SafetensorsShardedTests
{
    /// <summary>Splits the golden tiny-qwen3 into two shards plus an index, as transformers does for large models.</summary>
    private static (List<TestTensor> Tensors, string IndexPath) WriteShards(ConfigScratchDirectory dir)
    {
        using var golden = SafetensorsFile.Open(ConfigTestFixtures.GoldenFile("tiny-qwen3", "model.safetensors"));
        var tensors = ReadAll(golden);
        var first = tensors.Where(t => !t.Name.StartsWith("model.layers.2.", StringComparison.Ordinal)).ToList();
        var second = tensors.Except(first).ToList();
        File.WriteAllBytes(dir.File("model-00001-of-00002.safetensors"), Build(first));
        File.WriteAllBytes(dir.File("model-00002-of-00002.safetensors"), Build(second));
        var map = string.Join(",", first.Select(t => $"\"{t.Name}\": \"model-00001-of-00002.safetensors\"")
            .Concat(second.Select(t => $"\"{t.Name}\": \"model-00002-of-00002.safetensors\"")));
        var index = dir.Write("model.safetensors.index.json", "{\"metadata\": {\"total_size\": 1}, \"weight_map\": {" + map + "}}");
        return (tensors, index);
    }

    [Fact]
    public void ShardedCheckpoint_ReadsEveryTensorFromItsShard()
    {
        using var dir = new ConfigScratchDirectory();
        var (tensors, indexPath) = WriteShards(dir);

        using var source = SafetensorsDirectory.TryOpen(dir.Path);

        var sharded = Assert.IsType<ShardedSafetensors>(source);
        Assert.Equal(2, sharded.ShardPaths.Count);
        Assert.Equal(tensors.Select(t => t.Name).Order(StringComparer.Ordinal), sharded.Names.Order(StringComparer.Ordinal));
        foreach (var tensor in tensors)
        {
            var raw = new byte[tensor.Bytes.Length];
            sharded.ReadRaw(tensor.Name, raw);
            Assert.Equal(tensor.Bytes, raw);
        }

        Assert.Equal(indexPath, SafetensorsDirectory.FindWeightsFile(dir.Path));
    }

    [Fact]
    public void MissingShard_IsAUserErrorNamingIt()
    {
        using var dir = new ConfigScratchDirectory();
        var (_, indexPath) = WriteShards(dir);
        File.Delete(dir.File("model-00002-of-00002.safetensors"));

        var ex = Assert.ThrowsAny<UserErrorException>(() => ShardedSafetensors.Open(indexPath));

        Assert.Contains("model-00002-of-00002.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"weight_map": {"a": "../outside.safetensors"}}""", "not a plain file name")]
    [InlineData("""{"weight_map": {"a": "/etc/passwd"}}""", "not a plain file name")]
    [InlineData("""{"weight_map": {"a": 3}}""", "not a plain file name")]
    [InlineData("""{"weight_map": {}}""", "empty")]
    [InlineData("""{"metadata": {}}""", "weight_map")]
    [InlineData("""{"weight_map": """, "not valid JSON")]
    [InlineData("""{"weight_map": {"model.norm.weight": "model-00002-of-00002.safetensors"}}""", "does not hold it")]
    public void BadIndex_IsRefused(string indexJson, string expectedProblem)
    {
        using var dir = new ConfigScratchDirectory();
        WriteShards(dir);
        var indexPath = dir.Write("model.safetensors.index.json", indexJson);

        var ex = Assert.ThrowsAny<UserErrorException>(() => ShardedSafetensors.Open(indexPath));

        Assert.Contains(expectedProblem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorInTwoShards_IsRefused()
    {
        using var dir = new ConfigScratchDirectory();
        File.WriteAllBytes(dir.File("a.safetensors"), Build([F32("w", [2], [1f, 2f])]));
        File.WriteAllBytes(dir.File("b.safetensors"), Build([F32("w", [2], [3f, 4f]), F32("v", [1], [5f])]));
        var indexPath = dir.Write("model.safetensors.index.json", """{"weight_map": {"w": "a.safetensors", "v": "b.safetensors"}}""");

        var ex = Assert.Throws<SafetensorsFormatException>(() => ShardedSafetensors.Open(indexPath));

        Assert.Contains("tensor w is stored in both", ex.Problem, StringComparison.Ordinal);
    }
}
