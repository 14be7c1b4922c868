using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class EmbeddingGpuTests(GpuFixture fixture)
{
    [Theory]
    [InlineData(1, 1024)]
    [InlineData(17, 1024)]
    [InlineData(4096, 1024)]
    [InlineData(33, 8)] // one 16-byte vector per row: most threads idle
    public void Gather_CopiesTableRows_AndZeroesOutOfRangeIds(int tokens, int hidden)
    {
        var gpu = fixture.SkipUnlessGpu();
        const int vocab = 3001;
        var data = new SeededData(tokens * 7 + hidden);
        var table = data.Bf16Values((long)vocab * hidden);
        var ids = Enumerable.Range(0, tokens).Select(_ => data.Next(vocab)).ToArray();
        ids[0] = vocab - 1;
        if (tokens > 3)
        {
            ids[1] = -1;
            ids[2] = vocab;
            ids[3] = 0;
        }
        var kernel = fixture.Family($"{hidden}", c => new EmbeddingKernel(c, hidden));
        using var deviceTable = gpu.UploadBf16(table);
        using var deviceIds = gpu.Upload(ids);
        using var output = gpu.Poisoned<LlmBench.Gpu.Numerics.BFloat16>((long)tokens * hidden);

        kernel.Gather(gpu.Stream, deviceIds, deviceTable, vocab, output, tokens);

        Assert.Equal(EmbeddingReference.Gather(ids, table, hidden), gpu.DownloadBf16(output));
    }
}
