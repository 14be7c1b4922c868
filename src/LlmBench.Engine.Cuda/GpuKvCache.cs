using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The paged KV cache: per layer, K and V as [blocks, NKV, BLOCK_SIZE, D] elements of bf16 or fp8 e4m3, and for fp8
/// each layer's two fp32 scales (K, V; 1.0 until a calibration sets them) plus the largest |k|, |v| a calibration
/// pass recorded. The kernels read the scales from device memory, so setting them needs no new graphs.
/// </summary>
internal sealed class GpuKvCache : IDisposable
{
    /// <summary>e4m3's largest finite value: a calibrated scale maps the largest |x| seen onto it.</summary>
    public const float Fp8Max = 448f;

    private readonly DeviceBuffer<byte>[] _keys;
    private readonly DeviceBuffer<byte>[] _values;
    private readonly DeviceBuffer<float> _scales;
    private readonly DeviceBuffer<float> _maxima;

    public GpuKvCache(GpuDevice device, ModelConfig model, int numBlocks, int blockSize, KvCacheDtype dtype)
    {
        Dtype = dtype;
        long perLayer = (long)numBlocks * blockSize * model.KvSize * ElementBytes(dtype);
        _keys = new DeviceBuffer<byte>[model.NumHiddenLayers];
        _values = new DeviceBuffer<byte>[model.NumHiddenLayers];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = device.Allocate<byte>(perLayer);
            _values[i] = device.Allocate<byte>(perLayer);
        }
        _scales = device.Allocate<float>(2L * model.NumHiddenLayers);
        _maxima = device.Allocate<float>(2L * model.NumHiddenLayers);
        SetScales(Enumerable.Repeat(1f, 2 * model.NumHiddenLayers).ToArray());
    }

    public KvCacheDtype Dtype { get; }

    /// <summary>The (K, V) scales per layer, as last set.</summary>
    public IReadOnlyList<float> Scales { get; private set; } = [];

    public static int ElementBytes(KvCacheDtype dtype) => dtype.IsFp8() ? 1 : 2;

    public static long BytesPerBlock(ModelConfig model, int blockSize, KvCacheDtype dtype) =>
        2L * model.NumHiddenLayers * blockSize * model.KvSize * ElementBytes(dtype);

    public KvCacheLayer Layer(int layer) => new(_keys[layer], _values[layer], _scales.Slice(2L * layer, 2));

    /// <summary>Where layer <paramref name="layer"/>'s calibration maxima (|k|, |v|) accumulate.</summary>
    public DeviceSpan<float> AbsoluteMaxima(int layer) => _maxima.Slice(2L * layer, 2);

    /// <summary>Zeroes the calibration maxima (synchronous; the stream must be idle).</summary>
    public void ResetMaxima() => _maxima.CopyFrom(new float[_maxima.Length]);

    /// <summary>The recorded maxima, [layers × (|k|, |v|)] (synchronous; the stream must be idle).</summary>
    public float[] ReadMaxima() => _maxima.ToArray();

    /// <summary>Sets the (K, V) scales of every layer (synchronous; the stream must be idle).</summary>
    public void SetScales(float[] scales)
    {
        _scales.CopyFrom(scales);
        Scales = scales;
    }

    /// <summary>Scales that map each recorded maximum onto <see cref="Fp8Max"/>; a tensor that recorded nothing keeps 1.</summary>
    public static float[] ScalesFromMaxima(float[] maxima) =>
        [.. maxima.Select(m => m > 0 && float.IsFinite(m) ? m / Fp8Max : 1f)];

    public void Dispose()
    {
        foreach (var buffer in _keys.Concat(_values))
            buffer.Dispose();
        _scales.Dispose();
        _maxima.Dispose();
    }
}
