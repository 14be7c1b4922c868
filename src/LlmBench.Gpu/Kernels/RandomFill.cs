using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Gpu.Kernels;

/// <summary>
/// Fills device buffers with uniform random values in [low, high) on the GPU (random_fill.cu). Benchmarks must
/// never run on zeros: tensor cores and compressors are faster on them than on real data.
/// </summary>
public sealed class RandomFill : IDisposable
{
    private readonly CudaModule _module;
    private readonly CudaKernel _f32;
    private readonly CudaKernel _bf16;
    private readonly CudaKernel _f16;
    private readonly CudaKernel _e4m3;
    private readonly uint _maxBlocks;
    private readonly bool _supportsFp8;

    public RandomFill(KernelCompiler compiler, GpuDevice device)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        ArgumentNullException.ThrowIfNull(device);
        _module = compiler.Load(KernelSource.Builtin("random_fill.cu"));
        _f32 = _module.GetKernel("fill_uniform_f32");
        _bf16 = _module.GetKernel("fill_uniform_bf16");
        _f16 = _module.GetKernel("fill_uniform_f16");
        _e4m3 = _module.GetKernel("fill_uniform_e4m3");
        _supportsFp8 = device.Info.ComputeCapability.SupportsFp8;
        _maxBlocks = (uint)device.Info.MultiprocessorCount * 32;
    }

    public void Uniform(CudaStream stream, DeviceSpan<float> output, ulong seed, float low = -1f, float high = 1f) =>
        _f32.Launch(Config(output.Length), stream, output.Pointer, output.Length, seed, low, high);

    public void Uniform(CudaStream stream, DeviceSpan<BFloat16> output, ulong seed, float low = -1f, float high = 1f) =>
        _bf16.Launch(Config(output.Length), stream, output.Pointer, output.Length, seed, low, high);

    public void Uniform(CudaStream stream, DeviceSpan<Half> output, ulong seed, float low = -1f, float high = 1f) =>
        _f16.Launch(Config(output.Length), stream, output.Pointer, output.Length, seed, low, high);

    public void Uniform(CudaStream stream, DeviceSpan<Float8E4M3> output, ulong seed, float low = -1f, float high = 1f)
    {
        if (!_supportsFp8)
            throw new NotSupportedException("fp8 needs compute capability 8.9 or newer.");
        _e4m3.Launch(Config(output.Length), stream, output.Pointer, output.Length, seed, low, high);
    }

    private LaunchConfig Config(long length) =>
        new(Math.Clamp((uint)Math.Min((length + 255) / 256, uint.MaxValue), 1u, _maxBlocks), 256u);

    public void Dispose() => _module.Dispose();
}
