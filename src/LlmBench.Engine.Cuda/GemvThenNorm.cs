using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// An o_proj or down_proj GEMV that also does the residual add and RMSNorm after it (gemv.cu's gemv_then_norm_*,
/// done by the launch's last CTA): residual += output, normed = norm(residual), for one token bucket.
/// </summary>
internal sealed class GemvThenNorm(GemvKernels kernels, int tokens)
{
    public void Run(CudaStream stream, LinearWeight weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output,
        DeviceSpan<BFloat16> residual, DeviceSpan<BFloat16> normWeight, DeviceSpan<BFloat16> normed, DeviceSpan<uint> counter, float eps)
    {
        if (weight.Fp8 is { } q)
            kernels.RunThenNormalize(stream, q, input, output, tokens, residual, normWeight, normed, counter, eps);
        else
            kernels.RunThenNormalize(stream, weight.Bf16, input, output, tokens, residual, normWeight, normed, counter, eps);
    }
}
