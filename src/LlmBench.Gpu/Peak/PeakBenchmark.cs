using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Kernels;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Gpu.Peak;

/// <summary>
/// Measures a GPU's two ceilings: device memory bandwidth (a device-to-device copy by the driver and by our kernel,
/// and a read-only reduction) and cuBLASLt matrix-multiply throughput per precision and size, on random data.
/// </summary>
public sealed class PeakBenchmark(GpuDevice device, KernelCompiler compiler)
{
    public PeakReport Run(PeakOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var stream = device.CreateStream();
        using var fill = new RandomFill(compiler, device);
        var timer = new EventTimer(device, stream) { WarmupRuns = options.WarmupRuns, Samples = options.Samples, MinSampleMilliseconds = options.MinSampleMilliseconds };
        var bandwidth = MeasureBandwidth(options, stream, fill, timer, progress);
        var gemm = MeasureGemm(options, stream, fill, timer, progress);
        return new PeakReport(
            device.Info, GpuDatasheet.Find(device.Info.Name), bandwidth, gemm, DateTimeOffset.UtcNow,
            KernelCompiler.NvrtcVersion, CublasLtContext.LibraryVersion, Cuda.DriverVersion);
    }

    private List<BandwidthMeasurement> MeasureBandwidth(
        PeakOptions options, CudaStream stream, RandomFill fill, EventTimer timer, Action<string>? progress)
    {
        var (free, _) = device.GetMemoryInfo();
        var bytes = Math.Min(options.BandwidthBufferBytes, free / 4) / 256 * 256;
        var floats = bytes / sizeof(float);
        using var kernels = new BandwidthKernels(compiler, device);
        using var source = device.Allocate<float>(floats);
        using var destination = device.Allocate<float>(floats);
        using var sum = device.Allocate<float>(1);
        fill.Uniform(stream, source.View, options.Seed);
        fill.Uniform(stream, destination.View, options.Seed + 1);

        var results = new List<BandwidthMeasurement>();
        progress?.Invoke($"bandwidth: {bytes / (1 << 20)} MiB buffers");
        results.Add(new("copy (cuMemcpyDtoDAsync)", 2 * bytes, timer.MedianMilliseconds(s => s.CopyAsync(destination.View, source.View))));
        results.Add(new("copy (kernel)", 2 * bytes, timer.MedianMilliseconds(s => kernels.Copy(s, destination.View, source.View))));
        results.Add(new("read (reduction kernel)", bytes, timer.MedianMilliseconds(s =>
        {
            s.FillBytesAsync(sum.View, 0);
            kernels.ReadReduce(s, source.View, sum.View);
        })));
        stream.Synchronize();
        return results;
    }

    private List<GemmMeasurement> MeasureGemm(
        PeakOptions options, CudaStream stream, RandomFill fill, EventTimer timer, Action<string>? progress)
    {
        var results = new List<GemmMeasurement>();
        using var blas = CublasLtContext.Create(device);
        foreach (var type in options.DataTypes)
        {
            foreach (var size in options.Sizes)
            {
                if (!type.IsSupportedOn(device.Info.ComputeCapability))
                {
                    results.Add(new(type, size, null, $"no {type.DisplayName()} tensor cores below compute capability {(type == GemmDataType.Bf16 ? "8.0" : "8.9")}"));
                    continue;
                }

                progress?.Invoke($"gemm {type.DisplayName()} {size}");
                results.Add(MeasureOne(type, size, options, stream, fill, timer, blas));
            }
        }

        return results;
    }

    private GemmMeasurement MeasureOne(
        GemmDataType type, int size, PeakOptions options, CudaStream stream, RandomFill fill, EventTimer timer, CublasLtContext blas)
    {
        var elements = (long)size * size;
        var (free, _) = device.GetMemoryInfo();
        if (elements * (2L * type.InputBytes() + type.OutputBytes()) > free * 9 / 10)
            return new(type, size, null, "not enough free GPU memory");

        using var a = device.Allocate<byte>(elements * type.InputBytes());
        using var b = device.Allocate<byte>(elements * type.InputBytes());
        using var d = device.Allocate<byte>(elements * type.OutputBytes());
        FillInputs(type, stream, fill, a.View, options.Seed + (ulong)size);
        FillInputs(type, stream, fill, b.View, options.Seed + (ulong)size + 7);
        try
        {
            var transposeA = options.TransposeA || type == GemmDataType.Fp8E4M3;
            using var plan = GemmPlan.Create(blas, new GemmShape(size, size, size), type, transposeA);
            if (options.AutotuneCandidates > 1)
                plan.Autotune(stream, a.Pointer, b.Pointer, d.Pointer, options.AutotuneCandidates);
            return new(type, size, timer.MedianMilliseconds(s => plan.Run(s, a.Pointer, b.Pointer, d.Pointer)));
        }
        catch (CublasLtException ex)
        {
            // One precision the library can't run must not cost the person every other figure.
            stream.Synchronize();
            return new(type, size, null, ex.Message);
        }
    }

    private static void FillInputs(GemmDataType type, CudaStream stream, RandomFill fill, DeviceSpan<byte> bytes, ulong seed)
    {
        switch (type)
        {
            case GemmDataType.Bf16:
                fill.Uniform(stream, bytes.Cast<BFloat16>(), seed);
                break;
            case GemmDataType.Fp16:
                fill.Uniform(stream, bytes.Cast<Half>(), seed);
                break;
            default:
                fill.Uniform(stream, bytes.Cast<Float8E4M3>(), seed);
                break;
        }
    }
}
