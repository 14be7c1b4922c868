using LlmBench.Gpu;
using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>One linear layer planned for one token count: output[tokens, out] = input[tokens, in] · weight[out, in]ᵀ.</summary>
internal interface ILinearLayer
{
    /// <summary>
    /// True when the layer is one of our kernels, which wait for their predecessor themselves, so it may be launched
    /// with programmatic dependent launch (library GEMMs may not).
    /// </summary>
    bool WaitsForPredecessor { get; }

    void Run(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output);
}

/// <summary>A cuBLASLt plan: the large-batch and prefill path.</summary>
internal sealed class CublasLinear(GemmPlan plan) : ILinearLayer, IDisposable
{
    public GemmPlan Plan { get; } = plan;

    public bool WaitsForPredecessor => false;

    public void Run(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output) =>
        Plan.Run(stream, weight.Pointer, input.Pointer, output.Pointer);

    public void Dispose() => Plan.Dispose();
}

/// <summary>
/// gemv.cu at a small token count (decode batches): every SM streams the weights. With <paramref name="swiGlu"/> the
/// weight is the fused gate/up one and the output is silu(gate) · up of <paramref name="outFeatures"/> columns.
/// </summary>
internal sealed class GemvLinear(GemvKernels kernels, int outFeatures, int tokens, bool swiGlu = false) : ILinearLayer
{
    public bool WaitsForPredecessor => true;

    public void Run(CudaStream stream, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output)
    {
        if (swiGlu)
            kernels.RunSwiGlu(stream, weight, input, output, outFeatures, tokens);
        else
            kernels.Run(stream, weight, input, output, outFeatures, tokens);
    }
}
