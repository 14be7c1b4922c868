using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>silu_mul.cu: act = bf16(bf16(silu(gate)) · up) from the fused gate/up GEMM output.</summary>
public sealed class SiluMulKernel : KernelFamily
{
    private const int Threads = 256;
    private readonly CudaKernel _siluMul;

    public SiluMulKernel(KernelCompiler compiler, int intermediateSize)
        : base(compiler, "silu_mul.cu", [KernelShapes.Define("INTER", intermediateSize), KernelShapes.Define("SILU_THREADS", Threads)])
    {
        IntermediateSize = intermediateSize;
        _siluMul = Kernel("silu_mul");
    }

    public int IntermediateSize { get; }

    /// <param name="gateUp">bf16 [tokens, 2·intermediate]: gate columns, then up columns.</param>
    /// <param name="output">bf16 [tokens, intermediate].</param>
    public void Run(CudaStream stream, DeviceSpan<BFloat16> gateUp, DeviceSpan<BFloat16> output, int tokens)
    {
        if (tokens == 0)
            return;
        Launch.RequireAtLeast(nameof(gateUp), gateUp.Length, 2L * tokens * IntermediateSize);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)tokens * IntermediateSize);
        var vectors = (long)tokens * IntermediateSize / 8;
        _siluMul.Launch(new LaunchConfig(Launch.CeilDiv(vectors, Threads), Threads), stream, gateUp.Pointer, output.Pointer, tokens);
    }
}
