using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>A linear layer's weight as the layers read it: bf16, or fp8 e4m3 with per-row scales (--quantization fp8).</summary>
internal readonly record struct LinearWeight(DeviceSpan<BFloat16> Bf16, Fp8Matrix? Fp8)
{
    public static implicit operator LinearWeight(DeviceBuffer<BFloat16> weight) => new(weight, null);

    public static implicit operator LinearWeight(DeviceSpan<BFloat16> weight) => new(weight, null);
}

/// <summary>
/// A decoder layer's linear weight on the GPU, owned: uploaded in bf16, and with an fp8 quantizer turned into e4m3
/// values and per-row scales on the device (the bf16 copy is freed).
/// </summary>
internal sealed class GpuLinearWeight : IDisposable
{
    private readonly DeviceBuffer<BFloat16>? _bf16;
    private readonly DeviceBuffer<byte>? _values;
    private readonly DeviceBuffer<float>? _scales;

    private GpuLinearWeight(DeviceBuffer<BFloat16>? bf16, DeviceBuffer<byte>? values, DeviceBuffer<float>? scales) =>
        (_bf16, _values, _scales) = (bf16, values, scales);

    /// <summary>Uploads <paramref name="names"/> concatenated row-wise; with <paramref name="quantizer"/>, stores them in fp8.</summary>
    public static GpuLinearWeight Upload(GpuDevice device, CudaStream stream, Weights.ITensorSource source, Fp8WeightQuantizer? quantizer, params string[] names)
    {
        var bf16 = GpuWeightUpload.Upload(device, source, names);
        if (quantizer is null)
            return new GpuLinearWeight(bf16, null, null);
        try
        {
            int rows = checked((int)(bf16.Length / quantizer.InFeatures));
            var values = device.Allocate<byte>(bf16.Length);
            var scales = device.Allocate<float>(rows);
            quantizer.Run(stream, bf16, new Fp8Matrix(values, scales), rows);
            stream.Synchronize();
            return new GpuLinearWeight(null, values, scales);
        }
        finally
        {
            bf16.Dispose();
        }
    }

    public LinearWeight View => _bf16 is not null ? new LinearWeight(_bf16, null) : new LinearWeight(default, new Fp8Matrix(_values!, _scales!));

    public static implicit operator LinearWeight(GpuLinearWeight weight) => weight.View;

    /// <summary>The bf16 weight's address (cuBLASLt autotuning); an fp8 weight has none.</summary>
    public ulong Bf16Pointer => _bf16?.Pointer ?? throw new InvalidOperationException("an fp8 weight has no bf16 copy.");

    public void Dispose()
    {
        _bf16?.Dispose();
        _values?.Dispose();
        _scales?.Dispose();
    }
}
