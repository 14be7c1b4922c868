using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// decode_attention.cu: paged GQA attention for sequences with one query token each, the context split into
/// up to <c>splits</c> partitions (flash-decoding) whose fp32 partials are then merged: by a second kernel, or, given
/// merge counters, by the partition of each (sequence, kv head) that finishes last, in the same launch.
/// </summary>
public sealed unsafe class DecodeAttentionKernels : KernelFamily
{
    private const int Warps = 4;
    private const int MergeThreads = 128;
    private readonly CudaKernel _attention;
    private readonly CudaKernel _merge;
    private readonly CudaKernel? _merging;
    private readonly KernelShapes _shapes;

    public DecodeAttentionKernels(KernelCompiler compiler, KernelShapes shapes)
        : base(compiler, "decode_attention.cu",
            [.. shapes.Validate().AttentionDefines(), KernelShapes.Define("DEC_WARPS", Warps), KernelShapes.Define("MERGE_THREADS", MergeThreads),
                KernelShapes.Define("DEC_MERGING", shapes.MergeAttentionInLastCta ? 1 : 0)])
    {
        _shapes = shapes;
        _attention = Kernel("decode_attention");
        _merge = Kernel("decode_attention_merge");
        _merging = shapes.MergeAttentionInLastCta ? Kernel("decode_attention_merging") : null;
    }

    /// <summary>Compiled with the kernel that merges in the attention launch (<see cref="KernelShapes.MergeAttentionInLastCta"/>),
    /// so <see cref="Run"/> takes merge counters.</summary>
    public bool Merges => _merging is not null;

    /// <summary>uint32 counters <see cref="Run"/> needs to merge in the attention launch: one per (sequence, kv head).</summary>
    public long MergeCounterLength(int sequences) => (long)sequences * _shapes.NumKvHeads;

    /// <summary>Partitions per sequence so that the grid fills the GPU about twice (1 at large batch, at most 64).</summary>
    public static int ChooseSplits(int sequences, int numKvHeads, int multiprocessors) =>
        Math.Clamp((int)Math.Ceiling(2.0 * multiprocessors * 4 / Math.Max(1, sequences * numKvHeads)), 1, 64);

    /// <summary>fp32 elements of the partial-output scratch for <paramref name="sequences"/> at <paramref name="splits"/>.</summary>
    public long PartialAccumulatorLength(int sequences, int splits) => (long)sequences * _shapes.NumQHeads * splits * _shapes.HeadDim;

    /// <summary>fp32 elements (max and sum pairs) of the partial-statistics scratch.</summary>
    public long PartialStatisticsLength(int sequences, int splits) => 2L * sequences * _shapes.NumQHeads * splits;

    /// <param name="qkv">bf16 [T, (NQ + 2·NKV)·D]; sequence s's query is row seqStart[s].</param>
    /// <param name="cache">This layer's K and V (and fp8 scales).</param>
    /// <param name="seqStart">int32 [sequences]: each sequence's query row (also its output row).</param>
    /// <param name="contextLengths">int32 [sequences]: keys in the cache, this step's included.</param>
    /// <param name="blockTables">int32 [sequences, maxBlocksPerSeq].</param>
    /// <param name="output">bf16 [T, NQ·D].</param>
    /// <param name="partialAccumulators">fp32 scratch of <see cref="PartialAccumulatorLength"/>.</param>
    /// <param name="partialStatistics">fp32 scratch of <see cref="PartialStatisticsLength"/>.</param>
    /// <param name="mergeCounters">Empty: a second kernel merges the partials. Else uint32 [<see cref="MergeCounterLength"/>],
    /// zero before the launch (each launch leaves them at zero): the last partition of each (sequence, kv head) merges,
    /// with the merge kernel's code, so the output is the same bit for bit, one launch fewer.</param>
    public void Run(CudaStream stream, DeviceSpan<BFloat16> qkv, KvCacheLayer cache,
        DeviceSpan<int> seqStart, DeviceSpan<int> contextLengths, DeviceSpan<int> blockTables, int maxBlocksPerSeq,
        DeviceSpan<BFloat16> output, DeviceSpan<float> partialAccumulators, DeviceSpan<float> partialStatistics,
        int sequences, int splits, float scale, DeviceSpan<uint> mergeCounters = default)
    {
        if (sequences == 0)
            return;
        ArgumentOutOfRangeException.ThrowIfLessThan(splits, 1);
        Launch.RequireAtLeast(nameof(seqStart), seqStart.Length, sequences);
        Launch.RequireAtLeast(nameof(contextLengths), contextLengths.Length, sequences);
        Launch.RequireAtLeast(nameof(blockTables), blockTables.Length, (long)sequences * maxBlocksPerSeq);
        Launch.RequireAtLeast(nameof(partialAccumulators), partialAccumulators.Length, PartialAccumulatorLength(sequences, splits));
        Launch.RequireAtLeast(nameof(partialStatistics), partialStatistics.Length, PartialStatisticsLength(sequences, splits));
        ulong q = qkv.Pointer, kc = cache.Keys.Pointer, vc = cache.Values.Pointer, ks = cache.ScalesPointer(_shapes), starts = seqStart.Pointer, lens = contextLengths.Pointer;
        ulong tables = blockTables.Pointer, o = output.Pointer, acc = partialAccumulators.Pointer, ml = partialStatistics.Pointer;
        var grid = new Dim3((uint)sequences, (uint)_shapes.NumKvHeads, (uint)splits);
        if (splits > 1 && !mergeCounters.IsEmpty)
        {
            if (_merging is null)
                throw new InvalidOperationException("this decode attention family was compiled without the merging kernel (KernelShapes.MergeAttentionInLastCta).");
            Launch.RequireAtLeast(nameof(mergeCounters), mergeCounters.Length, MergeCounterLength(sequences));
            ulong counters = mergeCounters.Pointer;
            var merging = stackalloc void*[] { &q, &kc, &vc, &ks, &starts, &lens, &tables, &maxBlocksPerSeq, &o, &acc, &ml, &scale, &counters };
            _merging.Launch(new LaunchConfig(grid, Warps * 32), stream, merging);
            return;
        }
        var arguments = stackalloc void*[] { &q, &kc, &vc, &ks, &starts, &lens, &tables, &maxBlocksPerSeq, &o, &acc, &ml, &scale };
        _attention.Launch(new LaunchConfig(grid, Warps * 32), stream, arguments);
        if (splits > 1)
            _merge.Launch(new LaunchConfig(new Dim3((uint)sequences, (uint)_shapes.NumQHeads), MergeThreads), stream,
                starts, lens, acc, ml, o, splits);
    }
}
