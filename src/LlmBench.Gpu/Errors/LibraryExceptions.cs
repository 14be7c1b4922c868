using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>A CUDA driver API call failed.</summary>
public class CudaException(string call, CudaResult result, string message)
    : GpuCallException(call, result.SymbolicName(), message)
{
    public CudaResult Result { get; } = result;
}

/// <summary>The GPU ran out of memory for an allocation: the caller may retry with a smaller size.</summary>
public sealed class CudaOutOfMemoryException(string call, CudaResult result, string message)
    : CudaException(call, result, message);

/// <summary>An NVRTC call failed (for a failed compilation see <see cref="KernelCompileException"/>).</summary>
public sealed class NvrtcException(string call, NvrtcResult result, string message)
    : GpuCallException(call, result.SymbolicName(), message)
{
    public NvrtcResult Result { get; } = result;
}

/// <summary>A cuBLASLt call failed.</summary>
public sealed class CublasLtException(string call, CublasStatus status, string message)
    : GpuCallException(call, status.SymbolicName(), message)
{
    public CublasStatus StatusCode { get; } = status;
}

/// <summary>An NVML call failed with something other than "not supported" (which readers turn into n/a).</summary>
public sealed class NvmlException(string call, NvmlReturn result, string message)
    : GpuCallException(call, result.SymbolicName(), message)
{
    public NvmlReturn Result { get; } = result;
}

/// <summary>NVRTC rejected a kernel source; <see cref="Log"/> holds the compiler's full output.</summary>
public sealed class KernelCompileException(string sourceName, string options, string log)
    : GpuException($"NVRTC could not compile {sourceName} ({options}):{Environment.NewLine}{log.TrimEnd()}")
{
    public string SourceName { get; } = sourceName;

    public string Log { get; } = log;
}

/// <summary>A CUPTI call failed.</summary>
public sealed class CuptiException(string call, CuptiResult result, string message)
    : GpuCallException(call, result.SymbolicName(), message)
{
    public CuptiResult Result { get; } = result;
}
