using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu.Tests.Errors;

#pragma warning disable IDE1006, SA1300 // the helpers carry the C names the checks must report

public class StatusCheckTests
{
    private static CudaResult cuMemAlloc_v2() => CudaResult.CUDA_ERROR_OUT_OF_MEMORY;

    private static CudaResult cuInit() => CudaResult.CUDA_ERROR_NO_DEVICE;

    private static CudaResult cuLaunchKernel() => (CudaResult)12345;

    private static CudaResult cuStreamSynchronize() => CudaResult.CUDA_SUCCESS;

    private static NvmlReturn nvmlInit_v2() => NvmlReturn.NVML_ERROR_DRIVER_NOT_LOADED;

    private static CublasStatus cublasLtMatmul() => CublasStatus.CUBLAS_STATUS_NOT_SUPPORTED;

    private static NvrtcResult nvrtcCreateProgram() => NvrtcResult.NVRTC_ERROR_OUT_OF_MEMORY;

    [Fact]
    public void Cuda_OutOfMemory_IsTyped_AndNamesTheCall()
    {
        var error = Assert.Throws<CudaOutOfMemoryException>(() => CudaCheck.ThrowIfFailed(cuMemAlloc_v2()));
        Assert.Equal("cuMemAlloc_v2", error.Call);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", error.Status);
        Assert.StartsWith("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_NoDevice_IsAnEnvironmentProblemWithAHint()
    {
        var error = Assert.Throws<GpuUnavailableException>(() => CudaCheck.ThrowIfFailed(cuInit()));
        Assert.Contains("cuInit: CUDA_ERROR_NO_DEVICE", error.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA_VISIBLE_DEVICES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_UnknownCode_KeepsItsNumber()
    {
        var error = Assert.Throws<CudaException>(() => CudaCheck.ThrowIfFailed(cuLaunchKernel()));
        Assert.Equal("cuLaunchKernel", error.Call);
        Assert.Equal("CUresult 12345", error.Status);
    }

    [Fact]
    public void Cuda_Success_DoesNotThrow()
    {
        CudaCheck.ThrowIfFailed(cuStreamSynchronize());
        Assert.Equal("cuStreamSynchronize", NativeCallName.Of("CudaDriver.cuStreamSynchronize(Handle)"));
    }

    [Fact]
    public void Nvml_DriverNotLoaded_IsAnEnvironmentProblem()
    {
        var error = Assert.Throws<GpuUnavailableException>(() => NvmlCheck.ThrowIfFailed(nvmlInit_v2()));
        Assert.Contains("nvmlInit_v2: NVML_ERROR_DRIVER_NOT_LOADED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nvml_UnsupportedFields_AreNotErrors()
    {
        Assert.True(NvmlCheck.IsUnavailableField(NvmlReturn.NVML_ERROR_NOT_SUPPORTED));
        Assert.True(NvmlCheck.IsUnavailableField(NvmlReturn.NVML_ERROR_NO_PERMISSION));
        Assert.False(NvmlCheck.IsUnavailableField(NvmlReturn.NVML_ERROR_GPU_IS_LOST));
        Assert.False(NvmlCheck.IsUnavailableField(NvmlReturn.NVML_SUCCESS));
    }

    [Fact]
    public void CublasLt_NotSupported_NamesTheCallAndExplains()
    {
        var error = Assert.Throws<CublasLtException>(() => CublasLtCheck.ThrowIfFailed(cublasLtMatmul()));
        Assert.Equal("cublasLtMatmul", error.Call);
        Assert.Contains("no kernel for this data type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nvrtc_Failure_NamesTheCall()
    {
        var error = Assert.Throws<NvrtcException>(() => NvrtcCheck.ThrowIfFailed(nvrtcCreateProgram()));
        Assert.Equal("nvrtcCreateProgram", error.Call);
        Assert.Equal("NVRTC_ERROR_OUT_OF_MEMORY", error.Status);
    }
}
