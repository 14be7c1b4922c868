using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class PrefillAttentionGpuTests(GpuFixture fixture)
{
    /// <summary>(head dim, q heads, kv heads, block size, chunk lengths, earlier context per chunk).</summary>
    public static TheoryData<int, int, int, int, string, string> Cases => new()
    {
        { 128, 16, 8, 16, "1", "0" },
        { 128, 16, 8, 16, "15 16 17", "0 0 0" },
        { 128, 16, 8, 16, "63 64 65", "0 0 0" },
        { 128, 16, 8, 16, "15 16 17 63 64 65", "100 1 15 16 17 64" },
        { 128, 16, 8, 16, "1 333 64 2 129", "0 17 5 3001 63" },
        { 128, 16, 8, 16, "4096", "0" },
        { 64, 14, 2, 16, "1 333 64 2 129", "0 17 5 3001 63" },
        { 128, 8, 1, 32, "65 7 200", "31 0 33" },
        { 64, 4, 4, 16, "65 7 200", "31 0 33" },
    };

    /// <summary>Cases over an fp8 cache (compute capability 8.9+), with K and V scales that are not 1.</summary>
    public static TheoryData<int, int, int, int, string, string> Fp8Cases => new()
    {
        { 128, 16, 8, 16, "1", "0" },
        { 128, 16, 8, 16, "15 16 17 63 64 65", "100 1 15 16 17 64" },
        { 128, 16, 8, 16, "1 333 64 2 129", "0 17 5 3001 63" },
        { 64, 14, 2, 16, "1 333 64 2 129", "0 17 5 3001 63" },
        { 128, 8, 1, 32, "65 7 200", "31 0 33" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_IsCausalOverEarlierContextAndTheChunk(int headDim, int numQ, int numKv, int blockSize, string chunks, string earlier) =>
        RunCase(fixture.SkipUnlessGpu(), headDim, numQ, numKv, blockSize, chunks, earlier, fp8Scales: null);

    /// <summary>Against attention over what the e4m3 bytes read back as.</summary>
    [Theory]
    [MemberData(nameof(Fp8Cases))]
    public void Run_OverAnFp8Cache_MatchesAttentionOverItsValues(int headDim, int numQ, int numKv, int blockSize, string chunks, string earlier) =>
        RunCase(fixture.SkipUnlessFp8(), headDim, numQ, numKv, blockSize, chunks, earlier, fp8Scales: (0.03f, 0.07f));

    private void RunCase(Gpu gpu, int headDim, int numQ, int numKv, int blockSize, string chunks, string earlier, (float K, float V)? fp8Scales)
    {
        var lengths = chunks.Split(' ').Select(int.Parse).ToArray();
        var contextLens = earlier.Split(' ').Select(int.Parse).Zip(lengths, (e, l) => e + l).ToArray();
        var sequences = lengths.Length;
        var seqStart = new int[sequences + 1];
        var tileOffsets = new int[sequences + 1];
        for (var s = 0; s < sequences; s++)
        {
            seqStart[s + 1] = seqStart[s] + lengths[s];
            tileOffsets[s + 1] = tileOffsets[s] + PrefillAttentionKernel.TilesFor(lengths[s]);
        }
        var rows = seqStart[^1];
        var shapes = AttentionCase.ShapesFor(headDim, numQ, numKv, blockSize, fp8Scales is not null);
        var kernel = fixture.Family(shapes.ToString(), c => new PrefillAttentionKernel(c, shapes));
        using var problem = new AttentionCase(gpu, shapes, contextLens, rows, headDim * 77 + rows, fp8Scales);
        using var deviceSeqStart = gpu.Upload(seqStart);
        using var deviceTiles = gpu.Upload(tileOffsets);

        kernel.Run(gpu.Stream, problem.DeviceQkv, problem.Kv, deviceSeqStart, problem.ContextLens, problem.BlockTables,
            problem.Cache.MaxBlocksPerSeq, deviceTiles, sequences, tileOffsets[^1], problem.Output, (float)problem.Scale);

        var checkedRows = RowsToCheck(rows);
        var expected = AttentionReference.Prefill(problem.Layout, problem.Qkv, seqStart, problem.Cache, problem.Scale, checkedRows);
        var output = gpu.DownloadBf16(problem.Output);
        var name = $"prefill{(fp8Scales is null ? "" : " fp8")} D={headDim} {numQ}/{numKv} BS={blockSize} L=[{chunks}] earlier=[{earlier}]";
        var order = checkedRows.Order().ToArray();
        Comparison.Of(name, problem.Rows(output, order), problem.Rows(expected, order)).AssertWithin(Tolerance.Bf16Output);
    }

    /// <summary>Every row of a short batch; of a long one, tile edges, both ends and every 37th row (the reference is O(L²)).</summary>
    private static HashSet<int> RowsToCheck(int rows)
    {
        if (rows <= 1024)
            return [.. Enumerable.Range(0, rows)];
        var set = new HashSet<int>(Enumerable.Range(0, rows).Where(r => r % 37 == 0 || r % 64 is 0 or 63 && r % 512 < 64));
        set.UnionWith(Enumerable.Range(rows - 70, 70));
        set.UnionWith(Enumerable.Range(0, 70));
        return set;
    }
}
