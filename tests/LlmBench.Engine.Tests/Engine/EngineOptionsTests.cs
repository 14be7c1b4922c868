using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Engine;

public class EngineOptionsTests
{
    public static IEnumerable<TheoryDataRow<EngineOptions, string>> BadOptions() =>
    [
        new(new EngineOptions { MaxNumSeqs = 0 }, "--max-num-seqs"),
        new(new EngineOptions { MaxNumBatchedTokens = 0 }, "--max-num-batched-tokens"),
        new(new EngineOptions { MaxNumSeqs = 300, MaxNumBatchedTokens = 256 }, "--max-num-batched-tokens (256) must be at least --max-num-seqs (300)"),
        new(new EngineOptions { MaxModelLen = 1 }, "--max-model-len"),
        new(new EngineOptions { BlockSize = 0 }, "--block-size"),
        new(new EngineOptions { GpuMemoryUtilization = 0 }, "--gpu-memory-utilization"),
        new(new EngineOptions { GpuMemoryUtilization = 1.01 }, "--gpu-memory-utilization"),
        new(new EngineOptions { GpuMemoryUtilization = double.NaN }, "--gpu-memory-utilization"),
        new(new EngineOptions { KvCacheMemoryBytes = 0 }, "--kv-cache-memory-bytes"),
    ];

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_NamesTheFlagToFix(EngineOptions options, string expected)
    {
        var error = Assert.Throws<UserErrorException>(options.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreVllms()
    {
        var options = new EngineOptions().Validate();
        Assert.Equal(256, options.MaxNumSeqs);
        Assert.Equal(16, options.BlockSize);
        Assert.Equal(0.9, options.GpuMemoryUtilization);
        Assert.False(options.IsResolved);
    }

    [Fact]
    public void ResolveFor_CapsTheModelLengthByTheCache()
    {
        var model = TinyModels.Qwen3(maxPositions: 512);
        Assert.Equal(512, new EngineOptions().ResolveFor(model, 100).MaxModelLen);
        var small = new EngineOptions().ResolveFor(model, 10);
        Assert.Equal(160, small.MaxModelLen);
        Assert.Equal(10, small.NumKvBlocks);
        Assert.True(small.IsResolved);
    }

    [Fact]
    public void ResolveFor_RejectsAModelLengthTheCacheOrTheModelCannotHold()
    {
        var model = TinyModels.Qwen3(maxPositions: 512);
        var cache = Assert.Throws<UserErrorException>(() => new EngineOptions { MaxModelLen = 400 }.ResolveFor(model, 10));
        Assert.Contains("needs 25 KV blocks but the cache holds 10", cache.Message, StringComparison.Ordinal);
        var tooLong = Assert.Throws<UserErrorException>(() => new EngineOptions { MaxModelLen = 600 }.ResolveFor(model, 100));
        Assert.Contains("max_position_embeddings (512)", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuEngine_SizesItsCacheFromMaxNumSeqsCappedByTheMemoryBudget()
    {
        var model = TinyModels.Qwen3(maxPositions: 512);
        // 2 layers × 2 (K, V) × 16 tokens × 2 kv heads × 16 × 4 bytes = 8 KiB per block.
        var few = CpuEngine.Resolve(model, new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 64 });
        Assert.Equal(4 * 32, few.NumKvBlocks);
        Assert.Equal(512, few.MaxModelLen);
        var budget = CpuEngine.Resolve(model, new EngineOptions { MaxNumSeqs = 4, MaxNumBatchedTokens = 64, KvCacheMemoryBytes = 20 * 8192 });
        Assert.Equal(20, budget.NumKvBlocks);
        Assert.Equal(320, budget.MaxModelLen);
    }
}
