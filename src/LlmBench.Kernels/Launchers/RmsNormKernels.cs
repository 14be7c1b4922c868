using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>rmsnorm.cu: RMSNorm with HF's bf16 rounding, alone, fused with the residual add, or on chosen rows.</summary>
public sealed class RmsNormKernels : KernelFamily
{
    private const int Threads = 128;
    private readonly CudaKernel _fusedAdd;
    private readonly CudaKernel _rows;

    public RmsNormKernels(KernelCompiler compiler, int hiddenSize)
        : base(compiler, "rmsnorm.cu", [KernelShapes.Define("HIDDEN", hiddenSize), KernelShapes.Define("RMS_THREADS", Threads)])
    {
        HiddenSize = hiddenSize;
        _fusedAdd = Kernel("rmsnorm_fused_add");
        _rows = Kernel("rmsnorm_rows");
    }

    public int HiddenSize { get; }

    /// <summary>residual[t] = bf16(residual[t] + x[t]); output[t] = norm(residual[t]) · weight, for t &lt; rows.</summary>
    public void AddAndNormalize(CudaStream stream, DeviceSpan<BFloat16> residual, DeviceSpan<BFloat16> x,
        DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> output, int rows, float eps)
    {
        Check(residual, weight, output, rows);
        Launch.RequireAtLeast(nameof(x), x.Length, (long)rows * HiddenSize);
        LaunchFused(stream, residual.Pointer, x.Pointer, weight.Pointer, output.Pointer, rows, eps);
    }

    /// <summary>output[t] = norm(input[t]) · weight (input is not written).</summary>
    public void Normalize(CudaStream stream, DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> weight,
        DeviceSpan<BFloat16> output, int rows, float eps)
    {
        Check(input, weight, output, rows);
        LaunchFused(stream, input.Pointer, Launch.Null, weight.Pointer, output.Pointer, rows, eps);
    }

    /// <summary>
    /// output[r] = norm(bf16(residual[rowIds[r]] + x[rowIds[r]])) · weight for r &lt; count: the final norm of
    /// only the rows that feed the LM head, fused with the last residual add. Residual is not written.
    /// </summary>
    public void AddAndNormalizeRows(CudaStream stream, DeviceSpan<BFloat16> residual, DeviceSpan<BFloat16> x,
        DeviceSpan<int> rowIds, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> output, int count, float eps)
    {
        if (count == 0)
            return;
        Launch.RequireAtLeast(nameof(rowIds), rowIds.Length, count);
        Launch.RequireAtLeast(nameof(weight), weight.Length, HiddenSize);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)count * HiddenSize);
        _rows.Launch(new LaunchConfig(count, Threads), stream, residual.Pointer, x.IsEmpty ? Launch.Null : x.Pointer,
            rowIds.Pointer, weight.Pointer, output.Pointer, eps);
    }

    private void LaunchFused(CudaStream stream, ulong residual, ulong x, ulong weight, ulong output, int rows, float eps)
    {
        if (rows > 0)
            _fusedAdd.Launch(new LaunchConfig(rows, Threads), stream, residual, x, weight, output, eps);
    }

    private void Check(DeviceSpan<BFloat16> input, DeviceSpan<BFloat16> weight, DeviceSpan<BFloat16> output, int rows)
    {
        Launch.RequireAtLeast(nameof(input), input.Length, (long)rows * HiddenSize);
        Launch.RequireAtLeast(nameof(weight), weight.Length, HiddenSize);
        Launch.RequireAtLeast(nameof(output), output.Length, (long)rows * HiddenSize);
    }
}
