using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// quantize_fp8.cu: bf16 weights to fp8 e4m3 with one fp32 scale per row (amax / 448), at load time. One family per
/// row width; compute capability 8.9+.
/// </summary>
public sealed class Fp8WeightQuantizer : KernelFamily
{
    private const int Threads = 128;
    private readonly CudaKernel _kernel;
    private readonly CudaKernel _dequantize;

    /// <param name="inFeatures">Row width, a multiple of 8.</param>
    public Fp8WeightQuantizer(KernelCompiler compiler, int inFeatures)
        : base(compiler, "quantize_fp8.cu", Defines(inFeatures))
    {
        InFeatures = inFeatures;
        _kernel = Kernel("quantize_rows_e4m3");
        _dequantize = Kernel("dequantize_rows_e4m3");
    }

    private static string[] Defines(int inFeatures)
    {
        if (inFeatures <= 0 || inFeatures % 8 != 0)
            throw new ArgumentException($"fp8 quantization needs rows of a multiple of 8 values, not {inFeatures}.", nameof(inFeatures));
        return [KernelShapes.Define("QK", inFeatures), KernelShapes.Define("QT", Threads)];
    }

    public int InFeatures { get; }

    /// <summary>Quantizes <paramref name="rows"/> rows of <paramref name="weight"/> into <paramref name="output"/>.</summary>
    /// <param name="weight">bf16 [rows, InFeatures].</param>
    public void Run(CudaStream stream, DeviceSpan<BFloat16> weight, Fp8Matrix output, int rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows == 0)
            return;
        long elements = (long)rows * InFeatures;
        Launch.RequireAtLeast(nameof(weight), weight.Length, elements);
        Launch.RequireAtLeast("output", output.Values.Length, elements);
        Launch.RequireAtLeast("output scales", output.Scales.Length, rows);
        _kernel.Launch(new LaunchConfig(rows, Threads), stream, weight.Pointer, output.Values.Pointer, output.Scales.Pointer);
    }

    /// <summary>output = bf16(q · scale) row by row: the bf16 matrix the cuBLASLt path multiplies by.</summary>
    /// <param name="output">bf16 [rows, InFeatures].</param>
    public void Dequantize(CudaStream stream, Fp8Matrix weight, DeviceSpan<BFloat16> output, int rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows == 0)
            return;
        long elements = (long)rows * InFeatures;
        Launch.RequireAtLeast("weight", weight.Values.Length, elements);
        Launch.RequireAtLeast("weight scales", weight.Scales.Length, rows);
        Launch.RequireAtLeast(nameof(output), output.Length, elements);
        _dequantize.Launch(new LaunchConfig(rows, Threads), stream, weight.Values.Pointer, weight.Scales.Pointer, output.Pointer);
    }
}
