using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>Told after each call the forward pass enqueues (one kernel, or a GEMM / split-and-combine pair), with its role.</summary>
internal interface ILaunchProbe
{
    /// <param name="layer">The decoder layer, or -1 outside the layers.</param>
    /// <param name="ourKernel">False when a library (cuBLASLt) ran the call.</param>
    void After(CudaStream stream, KernelRole role, int layer, bool ourKernel = true);
}
