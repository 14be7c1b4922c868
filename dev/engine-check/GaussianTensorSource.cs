using LlmBench.Engine.Weights;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// A model's tensors with every matrix replaced by seeded Gaussian values N(0, 1/fan_in) rounded to bf16 (vectors stay
/// as they are): the law make_qwen3_0_6b_random.py draws its random model's matrices from with torch, so a CPU figure
/// on these weights compares with a GPU figure on that model. Value i of a tensor is Box–Muller over two uniforms
/// hashed from (tensor name, i), so any read gives the same values. (Mapping the dummy weights' bf16 uniforms through
/// the normal's inverse CDF would cut the tails off at about 3σ: a bf16 uniform near its bound has only 8 bits.)
/// </summary>
internal sealed class GaussianTensorSource(ITensorSource inner) : ITensorSource
{
    public IReadOnlyCollection<string> Names => inner.Names;

    public bool Contains(string name) => inner.Contains(name);

    public TensorInfo GetInfo(string name)
    {
        var info = inner.GetInfo(name);
        return info.Shape.Length >= 2 ? info with { DType = TensorDType.F32 } : info;
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        var shape = inner.GetInfo(name).Shape;
        if (shape.Length < 2)
        {
            inner.ReadFloat32(name, destination);
            return;
        }
        double std = 1 / Math.Sqrt(shape[^1]);
        ulong key = Fnv1a(name);
        const int chunk = 1 << 18;
        unsafe
        {
            fixed (float* start = destination)
            {
                var basePtr = (nint)start;
                int length = destination.Length;
                Parallel.For(0, (length + chunk - 1) / chunk, k =>
                {
                    long first = (long)k * chunk;
                    var values = new Span<float>((float*)basePtr + first, (int)Math.Min(chunk, length - first));
                    for (int i = 0; i < values.Length; i++)
                        values[i] = ToBFloat16((float)(std * StandardNormal(key, (ulong)(first + i))));
                });
            }
        }
    }

    public void ReadRaw(string name, Span<byte> destination)
    {
        if (inner.GetInfo(name).Shape.Length < 2)
            inner.ReadRaw(name, destination);
        else
            ReadFloat32(name, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(destination));
    }

    public void Dispose()
    {
        // The inner source belongs to the loaded model.
    }

    /// <summary>A standard normal value from element <paramref name="index"/> of stream <paramref name="key"/> (Box–Muller, cosine branch).</summary>
    internal static double StandardNormal(ulong key, ulong index)
    {
        ulong a = SplitMix64(key ^ SplitMix64(2 * index)), b = SplitMix64(key ^ SplitMix64((2 * index) + 1));
        double u1 = ((a >> 11) + 0.5) / (1UL << 53), u2 = (b >> 11) / (double)(1UL << 53); // u1 in (0, 1), never 0
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 0x0000_0100_0000_01B3UL;
        return hash;
    }

    private static float ToBFloat16(float value) =>
        BitConverter.UInt32BitsToSingle((uint)DTypeConversions.RoundToBFloat16Bits(BitConverter.SingleToUInt32Bits(value)) << 16);
}
