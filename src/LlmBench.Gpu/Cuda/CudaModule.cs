using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>A loaded cubin; its kernels stay valid while the module is alive.</summary>
public sealed class CudaModule : IDisposable
{
    internal CudaModule(CudaModuleHandle handle) => Handle = handle;

    internal CudaModuleHandle Handle { get; }

    public bool IsDisposed => Handle.IsClosed;

    /// <summary>Finds an extern "C" __global__ function by name.</summary>
    public CudaKernel GetKernel(string name)
    {
        var result = CudaDriver.cuModuleGetFunction(out var function, Handle, name);
        if (result == CudaResult.CUDA_ERROR_NOT_FOUND)
            throw new GpuException($"The module has no kernel named '{name}' (declare it extern \"C\" __global__).");
        CudaCheck.ThrowIfFailed(result);
        return new CudaKernel(this, function, name);
    }

    public void Dispose() => Handle.Dispose();
}
