using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Peak;

namespace LlmBench.Gpu.Tests.Peak;

public class PeakResultTests
{
    internal static GpuDeviceInfo H100 => new(
        0, "NVIDIA H100 80GB HBM3", "GPU-0a1b2c3d-0000-1111-2222-333344445555", "00000000:19:00.0", new ComputeCapability(9, 0),
        132, 85_000_000_000, 5120, 2_619_000, 1_980_000, 52_428_800, 232_448, true);

    private static PeakReport Report() => new(
        H100,
        GpuDatasheet.Find(H100.Name),
        [new("copy (cuMemcpyDtoDAsync)", 4_000_000_000, 1.40), new("copy (kernel)", 4_000_000_000, 1.35), new("read (reduction kernel)", 2_000_000_000, 0.65)],
        [new(GemmDataType.Bf16, 4096, 0.20), new(GemmDataType.Bf16, 8192, 1.40), new(GemmDataType.Fp8E4M3, 8192, null, "skipped")],
        DateTimeOffset.UnixEpoch,
        "13.0",
        130001,
        13000);

    [Fact]
    public void Bandwidth_CountsBytesMovedOverTime()
    {
        var copy = new BandwidthMeasurement("copy", 2_000_000_000, 1.0);
        Assert.Equal(2e12, copy.BytesPerSecond, 6);
    }

    [Fact]
    public void Tflops_IsTwoNCubedOverTime()
    {
        var gemm = new GemmMeasurement(GemmDataType.Bf16, 8192, 1.40);
        Assert.Equal(2.0 * 8192 * 8192 * 8192 / 1.40e-3 / 1e12, gemm.TflopsPerSecond!.Value, 6);
        Assert.Null(new GemmMeasurement(GemmDataType.Fp8E4M3, 8192, null, "no fp8").TflopsPerSecond);
    }

    [Fact]
    public void Ceilings_TakeTheBestCopyAndTheBestSizePerPrecision()
    {
        var ceilings = Report().ToCeilings("0.1.0");
        Assert.Equal(4_000_000_000 / 1.35e-3, ceilings.CopyBandwidthBytesPerSecond!.Value, 3);
        Assert.Equal(2_000_000_000 / 0.65e-3, ceilings.ReadBandwidthBytesPerSecond!.Value, 3);
        Assert.Equal(new GemmMeasurement(GemmDataType.Bf16, 8192, 1.40).TflopsPerSecond!.Value, ceilings.PeakTflopsByDataType["bf16"], 6);
        Assert.False(ceilings.PeakTflopsByDataType.ContainsKey("fp8-e4m3"));
    }

    [Fact]
    public void Store_RoundTripsPerGpu_AndIgnoresBadFiles()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"llmbench-ceilings-{Guid.NewGuid():N}");
        try
        {
            var store = new MeasuredCeilingsStore(directory);
            Assert.Null(store.TryLoad(H100.Uuid));
            Assert.Null(store.MeasuredBandwidthBytesPerSecond(H100.Uuid));

            var ceilings = Report().ToCeilings("0.1.0");
            store.Save(ceilings);
            var loaded = store.TryLoad(H100.Uuid)!;
            Assert.Equal(ceilings.CopyBandwidthBytesPerSecond, loaded.CopyBandwidthBytesPerSecond);
            Assert.Equal(ceilings.PeakTflopsByDataType["bf16"], loaded.PeakTflopsByDataType["bf16"]);
            Assert.Equal(ceilings.CopyBandwidthBytesPerSecond, store.MeasuredBandwidthBytesPerSecond(H100.Uuid));
            Assert.Null(store.TryLoad("GPU-another"));

            File.WriteAllText(store.PathFor(H100.Uuid), "{ not json");
            Assert.Null(store.TryLoad(H100.Uuid));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Median_OfOddAndEvenCounts()
    {
        Assert.Equal(3, EventTimer.Median([5, 1, 3]));
        Assert.Equal(2.5, EventTimer.Median([4, 1, 3, 2]));
        Assert.Throws<ArgumentException>(() => EventTimer.Median([]));
    }

    [Fact]
    public void DeviceInfo_TheoreticalBandwidth_IsDoubleDataRate()
    {
        Assert.Equal(2 * 2.619e9 * 640, H100.TheoreticalBandwidthBytesPerSecond!.Value, 0);
        Assert.Null((H100 with { MemoryClockKHz = null }).TheoreticalBandwidthBytesPerSecond);
        Assert.Equal("GPU-00112233-4455-6677-8899-aabbccddeeff", Cuda.FormatUuid([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]));
    }

    [Fact]
    public void ComputeCapability_DecidesSupportAndPrecisions()
    {
        var pascal = new ComputeCapability(6, 1);
        Assert.False(pascal.IsSupported);
        Assert.Contains("older than Volta", (H100 with { Name = "NVIDIA GeForce GTX 1080", ComputeCapability = pascal }).UnsupportedReason, StringComparison.Ordinal);
        Assert.True(new ComputeCapability(7, 0).IsSupported);
        Assert.False(new ComputeCapability(7, 5).SupportsBf16);
        Assert.True(new ComputeCapability(8, 0).SupportsBf16);
        Assert.False(new ComputeCapability(8, 6).SupportsFp8);
        Assert.True(new ComputeCapability(8, 9).SupportsFp8);
        Assert.Equal("Hopper", new ComputeCapability(9, 0).Architecture);
        Assert.True(new ComputeCapability(10, 0) > new ComputeCapability(9, 0));
    }
}
