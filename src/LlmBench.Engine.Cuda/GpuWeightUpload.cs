using System.Runtime.InteropServices;
using LlmBench.Engine.Weights;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// Reads tensors from a source as bf16 (fp32 and fp16 are rounded to nearest even) and uploads them, several
/// tensors concatenated row-wise into one device buffer when a fused GEMM wants them together.
/// </summary>
internal static class GpuWeightUpload
{
    public static DeviceBuffer<BFloat16> Upload(GpuDevice device, ITensorSource source, params string[] names)
    {
        long total = names.Sum(n => source.GetInfo(n).ElementCount);
        var host = new ushort[total];
        long offset = 0;
        foreach (var name in names)
        {
            var info = source.GetInfo(name);
            var destination = host.AsSpan((int)offset, (int)info.ElementCount);
            ReadBf16(source, info, destination);
            offset += info.ElementCount;
        }
        var buffer = device.Allocate<BFloat16>(total);
        buffer.CopyFrom(MemoryMarshal.Cast<ushort, BFloat16>(host));
        return buffer;
    }

    public static DeviceBuffer<float> UploadFloats(GpuDevice device, ReadOnlySpan<float> values)
    {
        var buffer = device.Allocate<float>(values.Length);
        buffer.CopyFrom(values);
        return buffer;
    }

    private static void ReadBf16(ITensorSource source, TensorInfo info, Span<ushort> destination)
    {
        if (info.DType == TensorDType.BF16)
        {
            source.ReadRaw(info.Name, MemoryMarshal.AsBytes(destination));
            return;
        }
        var widened = new float[info.ElementCount];
        source.ReadFloat32(info.Name, widened);
        DTypeConversions.Float32ToBFloat16(widened, destination);
    }
}
