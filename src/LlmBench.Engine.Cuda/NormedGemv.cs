using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// A residual add and RMSNorm folded into the GEMV that reads the normalized rows (gemv.cu's gemv_norm_*): reads the
/// residual stream from one buffer and writes the updated stream to another, for one token bucket.
/// </summary>
internal sealed class NormedGemv(GemvKernels kernels, int outFeatures, int tokens, bool swiGlu)
{
    /// <param name="add">The previous sublayer's output, or empty for the first layer.</param>
    public void Run(CudaStream stream, LinearWeight weight, DeviceSpan<BFloat16> residualIn, DeviceSpan<BFloat16> add,
        DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> residualOut, DeviceSpan<BFloat16> output, float eps)
    {
        if (weight.Fp8 is { } q)
            kernels.RunNormed(stream, q, residualIn, add, normWeight, residualOut, output, outFeatures, tokens, eps, swiGlu);
        else
            kernels.RunNormed(stream, weight.Bf16, residualIn, add, normWeight, residualOut, output, outFeatures, tokens, eps, swiGlu);
    }
}
