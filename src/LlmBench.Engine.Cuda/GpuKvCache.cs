using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Engine.Cuda;

/// <summary>The paged KV cache: per layer, K and V as bf16 [blocks, NKV, BLOCK_SIZE, D].</summary>
internal sealed class GpuKvCache : IDisposable
{
    private readonly DeviceBuffer<BFloat16>[] _keys;
    private readonly DeviceBuffer<BFloat16>[] _values;

    public GpuKvCache(GpuDevice device, ModelConfig model, int numBlocks, int blockSize)
    {
        long perLayer = (long)numBlocks * blockSize * model.KvSize;
        _keys = new DeviceBuffer<BFloat16>[model.NumHiddenLayers];
        _values = new DeviceBuffer<BFloat16>[model.NumHiddenLayers];
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = device.Allocate<BFloat16>(perLayer);
            _values[i] = device.Allocate<BFloat16>(perLayer);
        }
    }

    public static long BytesPerBlock(ModelConfig model, int blockSize) => 2L * model.NumHiddenLayers * blockSize * model.KvSize * 2;

    public DeviceSpan<BFloat16> Keys(int layer) => _keys[layer];

    public DeviceSpan<BFloat16> Values(int layer) => _values[layer];

    public void Dispose()
    {
        foreach (var buffer in _keys.Concat(_values))
            buffer.Dispose();
    }
}
