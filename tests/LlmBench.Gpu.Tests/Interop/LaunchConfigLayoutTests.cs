using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu.Tests.Interop;

/// <summary>cuLaunchKernelEx reads these structs by cuda.h's 64-bit layout; a wrong offset would launch garbage.</summary>
public class LaunchConfigLayoutTests
{
    [Fact]
    public void LaunchAttribute_IsIdPaddingAndA64ByteValue()
    {
        Assert.Equal(72, Marshal.SizeOf<CudaLaunchAttribute>());
        Assert.Equal(0, Marshal.OffsetOf<CudaLaunchAttribute>(nameof(CudaLaunchAttribute.Id)).ToInt32());
        Assert.Equal(8, Marshal.OffsetOf<CudaLaunchAttribute>(nameof(CudaLaunchAttribute.Value)).ToInt32());
    }

    [Fact]
    public void LaunchConfig_MatchesCudaH()
    {
        Assert.Equal(56, Marshal.SizeOf<CudaLaunchConfig>());
        Assert.Equal(24, Marshal.OffsetOf<CudaLaunchConfig>(nameof(CudaLaunchConfig.SharedMemBytes)).ToInt32());
        Assert.Equal(32, Marshal.OffsetOf<CudaLaunchConfig>(nameof(CudaLaunchConfig.Stream)).ToInt32());
        Assert.Equal(40, Marshal.OffsetOf<CudaLaunchConfig>(nameof(CudaLaunchConfig.Attributes)).ToInt32());
        Assert.Equal(48, Marshal.OffsetOf<CudaLaunchConfig>(nameof(CudaLaunchConfig.AttributeCount)).ToInt32());
    }

    [Fact]
    public void ProgrammaticSerialization_HasCudaHsId() =>
        Assert.Equal(6, (int)CudaLaunchAttributeId.CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION);
}
