using LlmBench.Gpu;

namespace LlmBench.Kernels;

/// <summary>
/// A weight matrix in fp8 e4m3 with one fp32 scale per row (W8A16): row n holds q[n, k] with w[n, k] ≈ q[n, k] · Scales[n].
/// <see cref="Fp8WeightQuantizer"/> makes it from bf16; <see cref="GemvKernels"/> built with fp8 weights reads it.
/// </summary>
/// <param name="Values">e4m3 bytes [rows, in features].</param>
/// <param name="Scales">fp32 [rows].</param>
public readonly record struct Fp8Matrix(DeviceSpan<byte> Values, DeviceSpan<float> Scales);
