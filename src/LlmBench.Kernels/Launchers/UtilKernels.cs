using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>util.cu: row gather, next-step token ids taken from this step's samples on the GPU, token bans, and a GPU hold.</summary>
public sealed class UtilKernels : KernelFamily
{
    private const int Threads = 128;
    private readonly CudaKernel _gatherRows;
    private readonly CudaKernel _advanceTokens;
    private readonly CudaKernel _maskTokens;
    private readonly CudaKernel _holdGpu;

    /// <param name="rowWidth">Elements per row for <see cref="GatherRows"/> (the hidden size).</param>
    public UtilKernels(KernelCompiler compiler, int rowWidth)
        : base(compiler, "util.cu", [KernelShapes.Define("WIDTH", rowWidth), KernelShapes.Define("UTIL_THREADS", Threads)])
    {
        RowWidth = rowWidth;
        _gatherRows = Kernel("gather_rows");
        _advanceTokens = Kernel("advance_tokens");
        _maskTokens = Kernel("mask_tokens");
        _holdGpu = Kernel("hold_gpu");
    }

    public int RowWidth { get; }

    /// <summary>destination[r] = source[rowIds[r]] for r &lt; count (bf16 rows of <see cref="RowWidth"/>).</summary>
    public void GatherRows(CudaStream stream, DeviceSpan<BFloat16> source, DeviceSpan<int> rowIds, DeviceSpan<BFloat16> destination, int count)
    {
        if (count == 0)
            return;
        Launch.RequireAtLeast(nameof(rowIds), rowIds.Length, count);
        Launch.RequireAtLeast(nameof(destination), destination.Length, (long)count * RowWidth);
        _gatherRows.Launch(new LaunchConfig(count, Threads), stream, source.Pointer, rowIds.Pointer, destination.Pointer);
    }

    /// <summary>tokenIds[j] = sampled[sourceRows[j]] where sourceRows[j] ≥ 0 (others keep their value), j &lt; n.</summary>
    public void AdvanceTokens(CudaStream stream, DeviceSpan<int> sampled, DeviceSpan<int> sourceRows, DeviceSpan<int> tokenIds, int n)
    {
        if (n == 0)
            return;
        Launch.RequireAtLeast(nameof(sourceRows), sourceRows.Length, n);
        Launch.RequireAtLeast(nameof(tokenIds), tokenIds.Length, n);
        _advanceTokens.Launch(LaunchConfig.Linear(n, Threads), stream, sampled.Pointer, sourceRows.Pointer, tokenIds.Pointer, n);
    }

    /// <summary>logits[rows[j], ids[j]] = -inf for j &lt; n (bf16 logits [R, vocab]).</summary>
    public void MaskTokens(CudaStream stream, DeviceSpan<BFloat16> logits, int vocab, DeviceSpan<int> rows, DeviceSpan<int> ids, int n)
    {
        if (n == 0)
            return;
        Launch.RequireAtLeast(nameof(rows), rows.Length, n);
        Launch.RequireAtLeast(nameof(ids), ids.Length, n);
        _maskTokens.Launch(LaunchConfig.Linear(n, Threads), stream, logits.Pointer, vocab, rows.Pointer, ids.Pointer, n);
    }

    /// <summary>Keeps the stream's GPU busy for at least <paramref name="duration"/> (one spinning thread), so work queued
    /// behind it runs back to back, free of host launch gaps.</summary>
    public void HoldGpu(CudaStream stream, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
            return;
        _holdGpu.Launch(new LaunchConfig(1, 1), stream, (ulong)(duration.Ticks * 100));
    }
}
