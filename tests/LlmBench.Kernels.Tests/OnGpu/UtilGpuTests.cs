using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class UtilGpuTests(GpuFixture fixture)
{
    [Theory]
    [InlineData(1, 1, 1024)]
    [InlineData(500, 77, 1024)]
    [InlineData(300, 256, 8)]
    public void GatherRows_CopiesTheListedRows(int rows, int count, int width)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(rows + count);
        var source = data.Bf16Values((long)rows * width);
        var rowIds = Enumerable.Range(0, count).Select(_ => data.Next(rows)).ToArray(); // repeats allowed
        var kernel = fixture.Family($"{width}", c => new UtilKernels(c, width));
        using var deviceSource = gpu.UploadBf16(source);
        using var deviceRows = gpu.Upload(rowIds);
        using var output = gpu.Poisoned<BFloat16>((long)count * width);

        kernel.GatherRows(gpu.Stream, deviceSource, deviceRows, output, count);

        Assert.Equal(UtilReference.GatherRows<float>(source, width, rowIds), gpu.DownloadBf16(output));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(4097)]
    public void AdvanceTokens_TakesSampledIds_WhereASourceRowIsGiven(int n)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(n);
        var sampled = Enumerable.Range(0, 300).Select(_ => data.Next(151_936)).ToArray();
        var sourceRows = Enumerable.Range(0, n).Select(j => j % 3 == 1 ? -1 : data.Next(sampled.Length)).ToArray();
        var tokenIds = Enumerable.Range(0, n).Select(_ => data.Next(151_936)).ToArray();
        var kernel = fixture.Family("1024", c => new UtilKernels(c, 1024));
        using var deviceSampled = gpu.Upload(sampled);
        using var deviceRows = gpu.Upload(sourceRows);
        using var deviceIds = gpu.Upload(tokenIds);

        kernel.AdvanceTokens(gpu.Stream, deviceSampled, deviceRows, deviceIds, n);

        Assert.Equal(UtilReference.AdvanceTokens(sampled, sourceRows, tokenIds), gpu.Download(deviceIds)[..n]);
    }

    [Fact]
    public void MaskTokens_SetsTheBannedLogitsToMinusInfinity_AndSkipsIdsOutsideTheVocabulary()
    {
        var gpu = fixture.SkipUnlessGpu();
        const int rows = 5, vocab = 1000;
        var data = new SeededData(42);
        var logits = data.Bf16Values(rows * vocab, scale: 3.0);
        int[] rowIds = [0, 0, 3, 4, 4, 2];
        int[] ids = [0, 999, 500, -1, vocab, 17];
        var kernel = fixture.Family("1024", c => new UtilKernels(c, 1024));
        using var deviceLogits = gpu.UploadBf16(logits);
        using var deviceRows = gpu.Upload(rowIds);
        using var deviceIds = gpu.Upload(ids);

        kernel.MaskTokens(gpu.Stream, deviceLogits, vocab, deviceRows, deviceIds, ids.Length);

        Assert.Equal(UtilReference.MaskTokens(logits, vocab, rowIds, ids), gpu.DownloadBf16(deviceLogits));
    }

    [Theory]
    [InlineData(1, 1, 151_936)]
    [InlineData(127, 3, 4_100)]
    [InlineData(128, 256, 1_000)]
    [InlineData(129, 17, 1_000)]
    [InlineData(5_000, 64, 151_936)]
    public void MaskTokens_OverBlockBoundaries_MatchesTheReference(int n, int rows, int vocab)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(n * 31 + rows);
        var logits = data.Bf16Values((long)rows * vocab, scale: 3.0);
        var rowIds = Enumerable.Range(0, n).Select(_ => data.Next(rows)).ToArray();
        // Mostly valid ids, some repeated, some out of range on both sides.
        var ids = Enumerable.Range(0, n).Select(j => j % 11 == 5 ? -1 - data.Next(3) : j % 13 == 7 ? vocab + data.Next(3) : data.Next(vocab)).ToArray();
        var kernel = fixture.Family("1024", c => new UtilKernels(c, 1024));
        using var deviceLogits = gpu.UploadBf16(logits);
        using var deviceRows = gpu.Upload(rowIds);
        using var deviceIds = gpu.Upload(ids);

        kernel.MaskTokens(gpu.Stream, deviceLogits, vocab, deviceRows, deviceIds, n);

        Assert.Equal(UtilReference.MaskTokens(logits, vocab, rowIds, ids), gpu.DownloadBf16(deviceLogits));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(2.0)]
    public void HoldGpu_KeepsTheStreamBusyAtLeastThatLong(double milliseconds)
    {
        var gpu = fixture.SkipUnlessGpu();
        var kernel = fixture.Family("1024", c => new UtilKernels(c, 1024));
        using var start = gpu.Device.CreateEvent();
        using var end = gpu.Device.CreateEvent();
        kernel.HoldGpu(gpu.Stream, TimeSpan.FromMilliseconds(0.01)); // loaded and warm
        start.Record(gpu.Stream);
        kernel.HoldGpu(gpu.Stream, TimeSpan.FromMilliseconds(milliseconds));
        end.Record(gpu.Stream);
        end.Synchronize();
        double elapsed = CudaEvent.ElapsedMilliseconds(start, end);
        Assert.InRange(elapsed, milliseconds, milliseconds + 1.0);
    }
}
