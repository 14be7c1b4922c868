using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// prefill_attention.cu: causal attention for query chunks of several tokens over the paged cache (earlier chunks
/// included), FlashAttention-2 style on mma.sync, with two K/V stages in dynamic shared memory.
/// </summary>
public sealed unsafe class PrefillAttentionKernel : KernelFamily
{
    /// <summary>Query rows per tile (the kernel's TILE_Q).</summary>
    public const int TileTokens = 64;
    private const int Threads = 128;
    private readonly CudaKernel _kernel;
    private readonly KernelShapes _shapes;
    private readonly uint _sharedBytes;

    public PrefillAttentionKernel(KernelCompiler compiler, KernelShapes shapes)
        : base(compiler, "prefill_attention.cu", [.. shapes.Validate().AttentionDefines(), KernelShapes.Define("PF_STAGES", 2)])
    {
        _shapes = shapes;
        _kernel = Kernel("prefill_attention");
        // Two stages of a K and a V tile: 4 · 64 rows · D · 2 bytes (64 KB at D = 128, above the default 48 KB).
        _sharedBytes = (uint)(4 * TileTokens * shapes.HeadDim * 2);
        _kernel.SetMaxDynamicSharedMemory((int)_sharedBytes);
    }

    /// <summary>Query tiles of a chunk of <paramref name="tokens"/> (for building tile offsets).</summary>
    public static int TilesFor(int tokens) => (tokens + TileTokens - 1) / TileTokens;

    /// <param name="cache">This layer's K and V (and fp8 scales); this step's keys already stored.</param>
    /// <param name="seqStart">int32 [sequences + 1]: sequence s owns qkv rows seqStart[s] .. seqStart[s+1]-1.</param>
    /// <param name="contextLengths">int32 [sequences]: keys in the cache after this step (≥ the chunk length).</param>
    /// <param name="blockTables">int32 [sequences, maxBlocksPerSeq].</param>
    /// <param name="tileOffsets">int32 [sequences + 1]: cumulative <see cref="TilesFor"/> of each chunk.</param>
    /// <param name="totalTiles">tileOffsets[sequences], known on the host (it sizes the grid).</param>
    public void Run(CudaStream stream, DeviceSpan<BFloat16> qkv, KvCacheLayer cache,
        DeviceSpan<int> seqStart, DeviceSpan<int> contextLengths, DeviceSpan<int> blockTables, int maxBlocksPerSeq,
        DeviceSpan<int> tileOffsets, int sequences, int totalTiles, DeviceSpan<BFloat16> output, float scale)
    {
        if (sequences == 0 || totalTiles == 0)
            return;
        Launch.RequireAtLeast(nameof(seqStart), seqStart.Length, sequences + 1);
        Launch.RequireAtLeast(nameof(contextLengths), contextLengths.Length, sequences);
        Launch.RequireAtLeast(nameof(blockTables), blockTables.Length, (long)sequences * maxBlocksPerSeq);
        Launch.RequireAtLeast(nameof(tileOffsets), tileOffsets.Length, sequences + 1);
        ulong q = qkv.Pointer, kc = cache.Keys.Pointer, vc = cache.Values.Pointer, ks = cache.ScalesPointer(_shapes), starts = seqStart.Pointer, lens = contextLengths.Pointer;
        ulong tables = blockTables.Pointer, tiles = tileOffsets.Pointer, o = output.Pointer;
        var arguments = stackalloc void*[] { &q, &kc, &vc, &ks, &starts, &lens, &tables, &maxBlocksPerSeq, &tiles, &sequences, &o, &scale };
        var grid = new Dim3((uint)_shapes.NumQHeads, (uint)totalTiles);
        _kernel.Launch(new LaunchConfig(grid, Threads, _sharedBytes), stream, arguments);
    }
}
