using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>Upload, poison and download helpers over the fixture's device and stream.</summary>
public sealed class Gpu(GpuDevice device, CudaStream stream, GpuFixture fixture)
{
    public GpuDevice Device { get; } = device;

    public CudaStream Stream { get; } = stream;

    public GpuFixture Fixture { get; } = fixture;

    public DeviceBuffer<T> Upload<T>(T[] values)
        where T : unmanaged
    {
        var buffer = Device.Allocate<T>(Math.Max(1, values.Length));
        buffer.CopyFrom(values);
        return buffer;
    }

    /// <summary>bf16-exact floats (NaN allowed) as a bf16 buffer.</summary>
    public DeviceBuffer<BFloat16> UploadBf16(float[] values)
    {
        var bits = new BFloat16[values.Length];
        for (var i = 0; i < bits.Length; i++)
            bits[i] = new BFloat16(float.IsNaN(values[i]) ? Bf16.NaNBits : Bf16.FromFloatExact(values[i]));
        return Upload(bits);
    }

    /// <summary>A buffer whose every byte is 0xFF: NaN as bf16 and fp32, −1 as int32, so unwritten outputs show.</summary>
    public DeviceBuffer<T> Poisoned<T>(long length)
        where T : unmanaged
    {
        var buffer = Device.Allocate<T>(Math.Max(1, length));
        Stream.FillBytesAsync(buffer.View, 0xFF);
        return buffer;
    }

    public float[] DownloadBf16(DeviceBuffer<BFloat16> buffer)
    {
        Stream.Synchronize();
        var bits = buffer.ToArray();
        var values = new float[bits.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = bits[i].ToSingle();
        return values;
    }

    public T[] Download<T>(DeviceBuffer<T> buffer)
        where T : unmanaged
    {
        Stream.Synchronize();
        return buffer.ToArray();
    }
}
