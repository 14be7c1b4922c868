using LlmBench.Gpu;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class DecodeAttentionGpuTests(GpuFixture fixture)
{
    /// <summary>(head dim, q heads, kv heads, block size, contexts, splits; 0 = the launcher's choice for an H100).</summary>
    public static TheoryData<int, int, int, int, string, int> Cases => new()
    {
        { 128, 16, 8, 16, "1", 1 },
        { 128, 16, 8, 16, "15 16 17", 64 },
        { 128, 16, 8, 16, "3001", 0 },
        { 128, 16, 8, 16, "3001", 1 },
        { 64, 14, 2, 16, "batch256", 0 },
        { 64, 14, 2, 16, "batch256", 7 },
        { 128, 8, 1, 32, "1 31 33 3001", 64 },   // GQA 8: V loads after the scores
        { 128, 8, 1, 32, "1 31 33 3001", 1 },
        { 64, 4, 4, 16, "2 16 17 64 65 1000", 3 }, // GQA 1
    };

    /// <summary>The same cases over an fp8 cache (compute capability 8.9+), with K and V scales that are not 1.</summary>
    public static TheoryData<int, int, int, int, string, int> Fp8Cases => new()
    {
        { 128, 16, 8, 16, "1", 1 },
        { 128, 16, 8, 16, "15 16 17", 64 },
        { 128, 16, 8, 16, "3001", 0 },
        { 64, 14, 2, 16, "batch256", 0 },
        { 128, 8, 1, 32, "1 31 33 3001", 64 },
        { 64, 4, 4, 16, "2 16 17 64 65 1000", 3 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_MatchesSoftmaxAttention_OverThePagedCache(int headDim, int numQ, int numKv, int blockSize, string contexts, int splits) =>
        RunCase(fixture.SkipUnlessGpu(), headDim, numQ, numKv, blockSize, contexts, splits, fp8Scales: null);

    /// <summary>Against attention over what the e4m3 bytes read back as (so only the kernel's own arithmetic is judged).</summary>
    [Theory]
    [MemberData(nameof(Fp8Cases))]
    public void Run_OverAnFp8Cache_MatchesAttentionOverItsValues(int headDim, int numQ, int numKv, int blockSize, string contexts, int splits) =>
        RunCase(fixture.SkipUnlessFp8(), headDim, numQ, numKv, blockSize, contexts, splits, fp8Scales: (0.03f, 0.07f));

    /// <summary>Cases where the context is split, so the merge runs: equal, more, fewer partitions than splits, GQA 1 to 8.</summary>
    public static TheoryData<int, int, int, int, string, int, bool> MergingCases => new()
    {
        { 128, 16, 8, 16, "15 16 17", 64, false },
        { 128, 16, 8, 16, "3001", 0, false },
        { 64, 14, 2, 16, "batch256", 7, false },
        { 128, 8, 1, 32, "1 31 33 3001", 64, false },
        { 64, 4, 4, 16, "2 16 17 64 65 1000", 3, false },
        { 128, 16, 8, 16, "3001 5", 0, true },
    };

    /// <summary>
    /// decode_attention_merging (the last partition merges, counters instead of a second kernel) against the two-kernel
    /// path: the same bits, twice in a row on the same counters (each launch must leave them at zero).
    /// </summary>
    [Theory]
    [MemberData(nameof(MergingCases))]
    public void Run_MergingInTheLastPartition_EqualsTheMergeKernel_BitForBit(int headDim, int numQ, int numKv, int blockSize, string contexts, int splits, bool fp8)
    {
        var gpu = fp8 ? fixture.SkipUnlessFp8() : fixture.SkipUnlessGpu();
        var contextLens = Contexts(contexts);
        var sequences = contextLens.Length;
        splits = splits > 0 ? splits : DecodeAttentionKernels.ChooseSplits(sequences, numKv, 132);
        var shapes = AttentionCase.ShapesFor(headDim, numQ, numKv, blockSize, fp8) with { MergeAttentionInLastCta = true };
        var kernel = fixture.Family(shapes.ToString(), c => new DecodeAttentionKernels(c, shapes));
        var queryRows = Enumerable.Range(0, sequences).Select(s => sequences + 1 - s).ToArray();
        using var problem = new AttentionCase(gpu, shapes, contextLens, sequences + 2, headDim * 999 + sequences + splits, fp8 ? (0.03f, 0.07f) : null);
        using var seqStart = gpu.Upload(queryRows);
        using var partials = gpu.Poisoned<float>(kernel.PartialAccumulatorLength(sequences, splits));
        using var statistics = gpu.Poisoned<float>(kernel.PartialStatisticsLength(sequences, splits));
        void Attend(DeviceSpan<uint> counters) => kernel.Run(gpu.Stream, problem.DeviceQkv, problem.Kv, seqStart, problem.ContextLens, problem.BlockTables,
            problem.Cache.MaxBlocksPerSeq, problem.Output, partials, statistics, sequences, splits, (float)problem.Scale, counters);

        Attend(default);
        var twoKernels = gpu.DownloadBf16(problem.Output);
        using var counters = gpu.Upload(new uint[kernel.MergeCounterLength(sequences)]);
        for (int round = 0; round < 2; round++)
        {
            gpu.Stream.FillBytesAsync(problem.Output.View, 0xFF); // NaN everywhere, so a row the merge missed shows
            Attend(counters);
            Assert.Equal(twoKernels, gpu.DownloadBf16(problem.Output));
            Assert.All(gpu.Download(counters), c => Assert.Equal(0u, c));
        }
    }

    private void RunCase(Gpu gpu, int headDim, int numQ, int numKv, int blockSize, string contexts, int splits, (float K, float V)? fp8Scales)
    {
        var contextLens = Contexts(contexts);
        var sequences = contextLens.Length;
        splits = splits > 0 ? splits : DecodeAttentionKernels.ChooseSplits(sequences, numKv, 132);
        var shapes = AttentionCase.ShapesFor(headDim, numQ, numKv, blockSize, fp8Scales is not null);
        var kernel = fixture.Family(shapes.ToString(), c => new DecodeAttentionKernels(c, shapes));
        // Two spare rows that are no sequence's query, and queries in reverse row order: only seqStart picks rows.
        var rows = sequences + 2;
        var queryRows = Enumerable.Range(0, sequences).Select(s => rows - 1 - s).ToArray();
        using var problem = new AttentionCase(gpu, shapes, contextLens, rows, headDim * 1000 + sequences + splits, fp8Scales);
        using var seqStart = gpu.Upload(queryRows);
        using var partials = gpu.Poisoned<float>(kernel.PartialAccumulatorLength(sequences, splits));
        using var statistics = gpu.Poisoned<float>(kernel.PartialStatisticsLength(sequences, splits));

        kernel.Run(gpu.Stream, problem.DeviceQkv, problem.Kv, seqStart, problem.ContextLens, problem.BlockTables,
            problem.Cache.MaxBlocksPerSeq, problem.Output, partials, statistics, sequences, splits, (float)problem.Scale);

        var output = gpu.DownloadBf16(problem.Output);
        var expected = AttentionReference.Decode(problem.Layout, problem.Qkv, queryRows, problem.Cache, problem.Scale);
        var name = $"decode{(fp8Scales is null ? "" : " fp8")} D={headDim} {numQ}/{numKv} BS={blockSize} S={sequences} ctx={contexts} Z={splits}";
        Comparison.Of(name, problem.Rows(output, queryRows), problem.Rows(expected, queryRows)).AssertWithin(Tolerance.Bf16Output);
        Assert.All(problem.Rows(output, [0, 1]), v => Assert.True(float.IsNaN(v), "decode wrote a row that is no sequence's query"));
    }

    private static int[] Contexts(string spec)
    {
        if (spec != "batch256")
            return [.. spec.Split(' ').Select(int.Parse)];
        var data = new SeededData(256);
        int[] edges = [1, 15, 16, 17, 63, 64, 65, 129];
        return [.. Enumerable.Range(0, 256).Select(i => i < edges.Length ? edges[i] : data.Next(1, 200))];
    }
}
