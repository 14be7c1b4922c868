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

    void Run(CudaStream stream, LinearWeight weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output);
}

/// <summary>
/// A cuBLASLt plan: the large-batch and prefill path. An fp8 weight is first turned back into bf16 in
/// <paramref name="fp8"/>'s scratch (the GEMM then multiplies by the same q · scale the GEMV path does, in bf16).
/// </summary>
internal sealed class CublasLinear(GemmPlan plan, Fp8Dequantize? fp8 = null) : ILinearLayer, IDisposable
{
    public GemmPlan Plan { get; } = plan;

    /// <summary>True when fp8 weights are turned back into bf16 before the GEMM.</summary>
    public bool Dequantizes => fp8 is not null;

    public bool WaitsForPredecessor => false;

    public void Run(CudaStream stream, LinearWeight weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output)
    {
        if (weight.Fp8 is { } quantized)
        {
            if (fp8 is null)
                throw new InvalidOperationException("this cuBLASLt plan was made for bf16 weights.");
            Plan.Run(stream, fp8.Run(stream, quantized).Pointer, input.Pointer, output.Pointer);
            return;
        }
        Plan.Run(stream, weight.Bf16.Pointer, input.Pointer, output.Pointer);
    }

    public void Dispose() => Plan.Dispose();
}

/// <summary>
/// The fp8 cuBLASLt path of a step above the GEMV sizes: the step's activations are quantized to e4m3 with one scale
/// per token (the weight quantizer's kernel, row by row) into <paramref name="activations"/>, and the GEMM multiplies
/// e4m3 by e4m3 with the weight's per-row scales and those per-token scales applied to the fp32 accumulator.
/// </summary>
internal sealed class Fp8GemmLinear(GemmPlan plan, Fp8WeightQuantizer quantizer, Fp8Matrix activations) : ILinearLayer, IDisposable
{
    public GemmPlan Plan { get; } = plan;

    public bool WaitsForPredecessor => false;

    public void Run(CudaStream stream, LinearWeight weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output)
    {
        var quantized = weight.Fp8 ?? throw new InvalidOperationException("this fp8 GEMM was planned for fp8 weights.");
        int tokens = Plan.Shape.N;
        quantizer.Run(stream, input, activations, tokens);
        Plan.Run(stream, quantized.Values.Pointer, activations.Values.Pointer, output.Pointer, quantized.Scales.Pointer, activations.Scales.Pointer);
    }

    public void Dispose() => Plan.Dispose();
}

/// <summary>An fp8 weight of <paramref name="rows"/> rows back to bf16 in a scratch buffer, for one cuBLASLt plan.</summary>
internal sealed class Fp8Dequantize(Fp8WeightQuantizer kernels, DeviceSpan<BFloat16> scratch, int rows)
{
    public DeviceSpan<BFloat16> Run(CudaStream stream, Fp8Matrix weight)
    {
        kernels.Dequantize(stream, weight, scratch, rows);
        return scratch;
    }
}

/// <summary>
/// gemv.cu at a small token count (decode batches): every SM streams the weights. With <paramref name="swiGlu"/> the
/// weight is the fused gate/up one and the output is silu(gate) · up of <paramref name="outFeatures"/> columns.
/// </summary>
internal sealed class GemvLinear(GemvKernels kernels, int outFeatures, int tokens, bool swiGlu = false) : ILinearLayer
{
    public bool WaitsForPredecessor => true;

    public void Run(CudaStream stream, LinearWeight weight, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> output)
    {
        switch (weight.Fp8, swiGlu)
        {
            case ({ } q, true): kernels.RunSwiGlu(stream, q, input, output, outFeatures, tokens); break;
            case ({ } q, false): kernels.Run(stream, q, input, output, outFeatures, tokens); break;
            case (null, true): kernels.RunSwiGlu(stream, weight.Bf16, input, output, outFeatures, tokens); break;
            default: kernels.Run(stream, weight.Bf16, input, output, outFeatures, tokens); break;
        }
    }
}
