using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>embedding.cu: out[t] = table[tokenIds[t]] (an id outside the vocabulary gives a zero row).</summary>
public sealed class EmbeddingKernel : KernelFamily
{
    private const int Threads = 128;
    private readonly CudaKernel _gather;

    public EmbeddingKernel(KernelCompiler compiler, int hiddenSize)
        : base(compiler, "embedding.cu", [KernelShapes.Define("HIDDEN", hiddenSize), KernelShapes.Define("EMB_THREADS", Threads)])
    {
        HiddenSize = hiddenSize;
        _gather = Kernel("embedding_gather");
    }

    public int HiddenSize { get; }

    /// <param name="table">bf16 [vocab, hidden].</param>
    /// <param name="output">bf16 [tokens, hidden].</param>
    public void Gather(CudaStream stream, DeviceSpan<int> tokenIds, DeviceSpan<BFloat16> table, int vocab,
        DeviceSpan<BFloat16> output, int tokens)
    {
        if (tokens == 0)
            return;
        Launch.RequireAtLeast(nameof(tokenIds), tokenIds.Length, tokens);
        Launch.RequireAtLeast(nameof(table), table.Length, (long)vocab * HiddenSize);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)tokens * HiddenSize);
        _gather.Launch(new LaunchConfig(tokens, Threads), stream, tokenIds.Pointer, table.Pointer, output.Pointer, vocab);
    }
}
