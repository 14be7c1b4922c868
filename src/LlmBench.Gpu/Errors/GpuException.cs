namespace LlmBench.Gpu;

/// <summary>Base of every error raised by the GPU layer.</summary>
public class GpuException : Exception
{
    public GpuException(string message)
        : base(message)
    {
    }

    public GpuException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GpuException()
    {
    }
}

/// <summary>
/// The machine lacks something a person can fix: no driver, no GPU, a missing or wrong-version library, or a GPU
/// our kernels can't run on. The message is one sentence saying what is missing and what to do; the CLI prints it
/// without a stack trace.
/// </summary>
public class GpuUnavailableException : GpuException
{
    public GpuUnavailableException(string message)
        : base(message)
    {
    }

    public GpuUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GpuUnavailableException()
    {
    }
}

/// <summary>A native call returned an error status. <see cref="Call"/> names the C function that failed.</summary>
public abstract class GpuCallException : GpuException
{
    protected GpuCallException(string call, string status, string message)
        : base(message)
    {
        Call = call;
        Status = status;
    }

    /// <summary>The C function that failed, as named in its header (cuMemAlloc_v2, nvrtcCompileProgram...).</summary>
    public string Call { get; }

    /// <summary>The status code's symbolic name (CUDA_ERROR_OUT_OF_MEMORY, NVML_ERROR_NOT_SUPPORTED...).</summary>
    public string Status { get; }
}
