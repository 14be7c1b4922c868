using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>
/// One attention problem on the device: random QKV rows and a scattered, NaN-padded paged cache (see
/// <see cref="PagedKvCache"/>), with the per-sequence arrays the launchers take. With fp8 scales the cache is stored
/// as e4m3 bytes and <see cref="Cache"/> holds what those bytes read back as, so references see the kernel's inputs.
/// </summary>
public sealed class AttentionCase : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public AttentionCase(Gpu gpu, KernelShapes shapes, int[] contextLens, int rows, int seed, (float K, float V)? fp8Scales = null)
    {
        Shapes = shapes;
        Layout = new QkvLayout(shapes.NumQHeads, shapes.NumKvHeads, shapes.HeadDim);
        Scale = 1.0 / Math.Sqrt(shapes.HeadDim);
        var data = new SeededData(seed);
        Qkv = data.Bf16Values((long)rows * Layout.RowWidth, scale: 2.0);
        Cache = PagedKvCache.Create(data, contextLens, shapes.NumKvHeads, shapes.BlockSize, shapes.HeadDim);
        DeviceQkv = Own(gpu.UploadBf16(Qkv));
        if (fp8Scales is { } s)
        {
            var keys = Own(gpu.Upload(Fp8KvCache.Quantize(Cache.K, s.K)));
            var values = Own(gpu.Upload(Fp8KvCache.Quantize(Cache.V, s.V)));
            Fp8KvCache.RoundTripInPlace(Cache.K, s.K);
            Fp8KvCache.RoundTripInPlace(Cache.V, s.V);
            Kv = new KvCacheLayer(keys, values, Own(gpu.Upload(new[] { s.K, s.V })));
        }
        else
        {
            Kv = KvCacheLayer.Bf16(Own(gpu.UploadBf16(Cache.K)), Own(gpu.UploadBf16(Cache.V)));
        }
        ContextLens = Own(gpu.Upload(contextLens));
        BlockTables = Own(gpu.Upload(Cache.BlockTables));
        Output = Own(gpu.Poisoned<BFloat16>((long)rows * Layout.OutWidth));
    }

    public KernelShapes Shapes { get; }

    public QkvLayout Layout { get; }

    public double Scale { get; }

    public float[] Qkv { get; }

    public PagedKvCache Cache { get; }

    public DeviceBuffer<BFloat16> DeviceQkv { get; }

    /// <summary>The cache as the kernels take it (bf16, or fp8 with its scales).</summary>
    public KvCacheLayer Kv { get; }

    public DeviceBuffer<int> ContextLens { get; }

    public DeviceBuffer<int> BlockTables { get; }

    public DeviceBuffer<BFloat16> Output { get; }

    public static KernelShapes ShapesFor(int headDim, int numQ, int numKv, int blockSize, bool fp8 = false) => new()
    {
        HiddenSize = 1024, IntermediateSize = 1024, NumQHeads = numQ, NumKvHeads = numKv, HeadDim = headDim, BlockSize = blockSize,
        KvCacheFp8 = fp8,
    };

    /// <summary>The listed rows of a [rows, NQ·D] output, back to back.</summary>
    public float[] Rows(float[] output, IEnumerable<int> rows) =>
        [.. rows.SelectMany(r => output.AsSpan(r * Layout.OutWidth, Layout.OutWidth).ToArray())];

    public double[] Rows(double[] output, IEnumerable<int> rows) =>
        [.. rows.SelectMany(r => output.AsSpan(r * Layout.OutWidth, Layout.OutWidth).ToArray())];

    private T Own<T>(T resource)
        where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        foreach (var resource in _owned)
            resource.Dispose();
    }
}
