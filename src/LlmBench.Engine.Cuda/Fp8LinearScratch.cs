using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>How a step above the GEMV sizes multiplies by fp8 layer weights.</summary>
public enum Fp8LargeStepGemm
{
    /// <summary>cuBLASLt e4m3 × e4m3, activations quantized per token, both scale vectors on the fp32 accumulator.</summary>
    Fp8,

    /// <summary>Each weight turned back into bf16 in scratch, then a bf16 cuBLASLt GEMM (bf16 activations): the default.</summary>
    Dequantize,
}

/// <summary>
/// What the cuBLASLt plans of fp8 layer weights need: the quantizer kernels, the bf16 scratch one weight is turned back
/// into (<see cref="Fp8LargeStepGemm.Dequantize"/>, and the fallback where cuBLASLt has no vector-scaled fp8 kernel),
/// and the e4m3 activations with their per-token scales (<see cref="Fp8LargeStepGemm.Fp8"/>).
/// </summary>
internal readonly record struct Fp8LinearScratch(Fp8LayerKernels Kernels, Fp8LargeStepGemm Gemm, DeviceSpan<BFloat16> Weight, Fp8Matrix Activations);
