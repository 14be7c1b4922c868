using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Kernels;

/// <summary>
/// One layer of the paged KV cache as the attention kernels see it: K and V as [blocks, NKV, BLOCK_SIZE, D] elements of
/// the cache's type (bf16, or fp8 e4m3 when <see cref="KernelShapes.KvCacheFp8"/>), held as bytes, and for fp8 the
/// device address of the layer's two fp32 scales (K, V); the stored value is x / scale (see kv_cache.cuh).
/// </summary>
public readonly record struct KvCacheLayer(DeviceSpan<byte> Keys, DeviceSpan<byte> Values, DeviceSpan<float> Scales)
{
    /// <summary>A bf16 cache layer (no scales).</summary>
    public static KvCacheLayer Bf16(DeviceSpan<BFloat16> keys, DeviceSpan<BFloat16> values) =>
        new(keys.Cast<byte>(), values.Cast<byte>(), default);

    /// <summary>The scales' address for a kernel argument: null for bf16; for fp8, checked to hold the two scales.</summary>
    internal ulong ScalesPointer(KernelShapes shapes)
    {
        if (!shapes.KvCacheFp8)
            return Launch.Null;
        Launch.RequireAtLeast("kvScales", Scales.Length, 2);
        return Scales.Pointer;
    }
}
