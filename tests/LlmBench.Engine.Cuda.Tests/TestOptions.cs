namespace LlmBench.Engine.Cuda.Tests;

internal static class TestOptions
{
    /// <summary>Options for the tiny models: a small KV cache so tests allocate little.</summary>
    public static EngineOptions Small(int maxNumSeqs = 8, int maxBatchedTokens = 512, int maxModelLen = 336, long kvBytes = 32L << 20, bool eager = false) => new()
    {
        MaxNumSeqs = maxNumSeqs,
        MaxNumBatchedTokens = maxBatchedTokens,
        MaxModelLen = maxModelLen,
        BlockSize = 16,
        KvCacheMemoryBytes = kvBytes,
        EnforceEager = eager,
    };
}
