using LlmBench.Gpu.Interop;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Tests.Loading;

/// <summary>On a machine without the NVIDIA driver (CI), every entry point fails with one sentence, not a crash.</summary>
public class NoDriverTests
{
    private static bool DriverPresent => GpuLibraryLoader.TryLoad(GpuLibrary.Cuda);

    [Fact]
    public void CudaInitialize_SaysTheDriverIsMissing_AndWhereItLooked()
    {
        Assert.SkipWhen(DriverPresent, "libcuda.so.1 is installed here");
        var error = Assert.Throws<GpuUnavailableException>(Cuda.Initialize);
        Assert.StartsWith("The NVIDIA driver's CUDA library (libcuda.so.1) could not be loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tried: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("libcuda.so.1 (system loader)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADirectNativeCall_RaisesTheSameSentence_ThroughTheResolver()
    {
        Assert.SkipWhen(DriverPresent, "libcuda.so.1 is installed here");
        var error = Assert.Throws<GpuUnavailableException>(() => CudaDriver.cuInit(0));
        Assert.Contains("libcuda.so.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningADevice_FailsCleanly()
    {
        Assert.SkipWhen(DriverPresent, "libcuda.so.1 is installed here");
        Assert.Throws<GpuUnavailableException>(() => GpuDevice.Open(0));
    }

    [Fact]
    public void NvmlSession_TryOpen_GivesTheReason()
    {
        Assert.SkipWhen(GpuLibraryLoader.TryLoad(GpuLibrary.Nvml), "libnvidia-ml.so.1 is installed here");
        using var session = Monitoring.NvmlSession.TryOpen(out var problem);
        Assert.Null(session);
        Assert.Contains("libnvidia-ml.so.1", problem, StringComparison.Ordinal);
    }
}
