using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>
/// One attention problem on the device: random QKV rows and a scattered, NaN-padded paged cache (see
/// <see cref="PagedKvCache"/>), with the per-sequence arrays the launchers take.
/// </summary>
public sealed class AttentionCase : IDisposable
{
    public AttentionCase(Gpu gpu, KernelShapes shapes, int[] contextLens, int rows, int seed)
    {
        Shapes = shapes;
        Layout = new QkvLayout(shapes.NumQHeads, shapes.NumKvHeads, shapes.HeadDim);
        Scale = 1.0 / Math.Sqrt(shapes.HeadDim);
        var data = new SeededData(seed);
        Qkv = data.Bf16Values((long)rows * Layout.RowWidth, scale: 2.0);
        Cache = PagedKvCache.Create(data, contextLens, shapes.NumKvHeads, shapes.BlockSize, shapes.HeadDim);
        DeviceQkv = gpu.UploadBf16(Qkv);
        KCache = gpu.UploadBf16(Cache.K);
        VCache = gpu.UploadBf16(Cache.V);
        ContextLens = gpu.Upload(contextLens);
        BlockTables = gpu.Upload(Cache.BlockTables);
        Output = gpu.Poisoned<BFloat16>((long)rows * Layout.OutWidth);
    }

    public KernelShapes Shapes { get; }

    public QkvLayout Layout { get; }

    public double Scale { get; }

    public float[] Qkv { get; }

    public PagedKvCache Cache { get; }

    public DeviceBuffer<BFloat16> DeviceQkv { get; }

    public DeviceBuffer<BFloat16> KCache { get; }

    public DeviceBuffer<BFloat16> VCache { get; }

    public DeviceBuffer<int> ContextLens { get; }

    public DeviceBuffer<int> BlockTables { get; }

    public DeviceBuffer<BFloat16> Output { get; }

    public static KernelShapes ShapesFor(int headDim, int numQ, int numKv, int blockSize) => new()
    {
        HiddenSize = 1024, IntermediateSize = 1024, NumQHeads = numQ, NumKvHeads = numKv, HeadDim = headDim, BlockSize = blockSize,
    };

    /// <summary>The listed rows of a [rows, NQ·D] output, back to back.</summary>
    public float[] Rows(float[] output, IEnumerable<int> rows) =>
        [.. rows.SelectMany(r => output.AsSpan(r * Layout.OutWidth, Layout.OutWidth).ToArray())];

    public double[] Rows(double[] output, IEnumerable<int> rows) =>
        [.. rows.SelectMany(r => output.AsSpan(r * Layout.OutWidth, Layout.OutWidth).ToArray())];

    public void Dispose()
    {
        DeviceQkv.Dispose();
        KCache.Dispose();
        VCache.Dispose();
        ContextLens.Dispose();
        BlockTables.Dispose();
        Output.Dispose();
    }
}
