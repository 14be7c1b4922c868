using LlmBench.Gpu.Blas;

namespace LlmBench.Gpu.Peak;

/// <summary>What `llmbench peak` measures; sizes are square (M = N = K).</summary>
public sealed record PeakOptions
{
    public static readonly IReadOnlyList<int> DefaultSizes = [2048, 4096, 8192, 16384];

    public IReadOnlyList<int> Sizes { get; init; } = DefaultSizes;

    public IReadOnlyList<GemmDataType> DataTypes { get; init; } = [GemmDataType.Bf16, GemmDataType.Fp16, GemmDataType.Fp8E4M3];

    /// <summary>Bytes per bandwidth buffer: far beyond any L2 (50 MB on H100), capped by free memory.</summary>
    public long BandwidthBufferBytes { get; init; } = 2L << 30;

    public int WarmupRuns { get; init; } = 3;

    public int Samples { get; init; } = 10;

    public ulong Seed { get; init; } = 1234;

    /// <summary>True: D = Aᵀ·B ("TN", the layout of a linear layer and the only one fp8 has on Hopper); false: A·B ("NN").</summary>
    public bool TransposeA { get; init; } = true;

    /// <summary>How many of cuBLASLt's ranked algorithms to time per GEMM; 1 takes the heuristic's first choice.</summary>
    public int AutotuneCandidates { get; init; } = 1;

    /// <summary>Each timing sample lasts at least this long; short, like PyTorch's ten back-to-back products, to measure burst peak.</summary>
    public double MinSampleMilliseconds { get; init; } = 1;
}

/// <summary>One bandwidth figure. Copies count bytes read plus bytes written.</summary>
public sealed record BandwidthMeasurement(string Method, long BytesMoved, double MedianMilliseconds)
{
    public double BytesPerSecond => BytesMoved / (MedianMilliseconds / 1000.0);
}

/// <summary>One GEMM figure; <see cref="Skipped"/> says why there is none (e.g. no fp8 on this GPU).</summary>
public sealed record GemmMeasurement(GemmDataType DataType, int Size, double? MedianMilliseconds, string? Skipped = null)
{
    public double? TflopsPerSecond => MedianMilliseconds is { } ms ? 2.0 * Size * Size * (double)Size / (ms / 1000.0) / 1e12 : null;
}

/// <summary>The frozen result of one peak run, with the GPU it ran on and the datasheet to compare with.</summary>
public sealed record PeakReport(
    GpuDeviceInfo Device,
    DatasheetEntry? Datasheet,
    IReadOnlyList<BandwidthMeasurement> Bandwidth,
    IReadOnlyList<GemmMeasurement> Gemm,
    DateTimeOffset MeasuredAt,
    string NvrtcVersion,
    long CublasLtVersion,
    int DriverCudaVersion)
{
    /// <summary>The best copy figure: what the decode floor divides by.</summary>
    public double? CopyBytesPerSecond => Bandwidth.Where(b => b.Method.StartsWith("copy", StringComparison.Ordinal)).Select(b => (double?)b.BytesPerSecond).Max();

    public double? ReadBytesPerSecond => Bandwidth.Where(b => b.Method.StartsWith("read", StringComparison.Ordinal)).Select(b => (double?)b.BytesPerSecond).Max();

    public double? BestTflops(GemmDataType type) => Gemm.Where(g => g.DataType == type).Select(g => g.TflopsPerSecond).Max();

    public MeasuredCeilings ToCeilings(string llmBenchVersion) => new(
        Device.Uuid,
        Device.Name,
        MeasuredAt,
        llmBenchVersion,
        CopyBytesPerSecond,
        ReadBytesPerSecond,
        Gemm.Select(g => g.DataType).Distinct()
            .Where(t => BestTflops(t) is not null)
            .ToDictionary(t => t.DisplayName(), t => BestTflops(t)!.Value));
}
