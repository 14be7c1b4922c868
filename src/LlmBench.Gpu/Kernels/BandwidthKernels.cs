using LlmBench.Gpu.Compilation;

namespace LlmBench.Gpu.Kernels;

/// <summary>The read-only reduction and the copy kernel of peak_bandwidth.cu, with launch shapes that fill the GPU.</summary>
public sealed class BandwidthKernels : IDisposable
{
    private const uint ThreadsPerBlock = 256;

    private readonly CudaModule _module;
    private readonly CudaKernel _readReduce;
    private readonly CudaKernel _copy;
    private readonly uint _blocks;

    public BandwidthKernels(KernelCompiler compiler, GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        ArgumentNullException.ThrowIfNull(device);
        _module = compiler.Load(KernelSource.Builtin("peak_bandwidth.cu"));
        _readReduce = _module.GetKernel("read_reduce_f32");
        _copy = _module.GetKernel("copy_f32");
        // 8 blocks of 256 threads fill an SM's 2048 thread slots on every architecture since Volta.
        _blocks = (uint)device.Info.MultiprocessorCount * 8;
    }

    /// <summary>Adds every element of <paramref name="input"/> into <paramref name="sum"/>[0] (which the caller zeroes).</summary>
    public void ReadReduce(CudaStream stream, DeviceSpan<float> input, DeviceSpan<float> sum)
    {
        RequireVectorizable(input);
        _readReduce.Launch(new LaunchConfig(_blocks, ThreadsPerBlock), stream, input.Pointer, input.Length / 4, sum.Pointer);
    }

    public void Copy(CudaStream stream, DeviceSpan<float> destination, DeviceSpan<float> source)
    {
        RequireVectorizable(source);
        RequireVectorizable(destination);
        if (destination.Length != source.Length)
            throw new ArgumentException("Copy lengths differ.", nameof(destination));
        _copy.Launch(new LaunchConfig(_blocks, ThreadsPerBlock), stream, destination.Pointer, source.Pointer, source.Length / 4);
    }

    // The kernels read float4: 16-byte aligned, a multiple of 4 elements.
    private static void RequireVectorizable(DeviceSpan<float> span)
    {
        if (span.Pointer % 16 != 0 || span.Length % 4 != 0)
            throw new ArgumentException("The bandwidth kernels need 16-byte aligned views whose length is a multiple of 4.");
    }

    public void Dispose() => _module.Dispose();
}
