using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LlmBench.Engine.Weights;

/// <summary>
/// Counter-based random numbers: element i of a stream is a pure function of (key, i), so any slice of
/// a tensor can be generated on its own, in parallel, in any order, with the same result. The hash is
/// two rounds of a 32-bit integer mixer (multiply/xor-shift), which vectorizes with plain 32-bit lanes.
/// </summary>
internal static class CounterUniform
{
    /// <summary>The stream key of tensor <paramref name="name"/> under <paramref name="seed"/>, stable across runs and platforms.</summary>
    public static ulong Key(ulong seed, string name)
    {
        // FNV-1a over the UTF-8 name: string.GetHashCode is randomized per process.
        var hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 0x0000_0100_0000_01B3UL;
        return SplitMix64(seed ^ SplitMix64(hash));
    }

    /// <summary>
    /// Writes offset + halfWidth · U[-1, 1) for elements firstIndex.. of the stream <paramref name="key"/>,
    /// each rounded to bf16 precision (the dummy weights' stored dtype), so fp32 and raw reads agree.
    /// </summary>
    public static void FillBFloat16Exact(ulong key, long firstIndex, float offset, float halfWidth, Span<float> destination)
    {
        if (firstIndex < 0 || firstIndex + destination.Length > (1L << 32))
            throw new ArgumentOutOfRangeException(nameof(firstIndex), "Dummy tensors hold at most 2^32 elements.");

        var (keyLow, keyHigh) = ((uint)key, (uint)(key >> 32));
        var scale = 2f * halfWidth / (1 << 24);
        var bias = offset - halfWidth;
        ref var dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<uint>.Count;
            var counter = Vector<uint>.Indices + new Vector<uint>((uint)firstIndex);
            var step = new Vector<uint>((uint)width);
            for (; i <= destination.Length - width; i += width, counter += step)
            {
                var bits24 = Vector.AsVectorInt32(Hash(counter, keyLow, keyHigh) >> 8);
                var value = (Vector.ConvertToSingle(bits24) * new Vector<float>(scale)) + new Vector<float>(bias);
                RoundToBFloat16(Vector.AsVectorUInt32(value)).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            var bits24 = (int)(Hash((uint)(firstIndex + i), keyLow, keyHigh) >> 8);
            var value = (bits24 * scale) + bias;
            Unsafe.Add(ref dst, i) = (uint)DTypeConversions.RoundToBFloat16Bits(BitConverter.SingleToUInt32Bits(value)) << 16;
        }
    }

    private static Vector<uint> Hash(Vector<uint> counter, uint keyLow, uint keyHigh)
    {
        var x = Mix((counter * new Vector<uint>(0x9E37_79B9)) + new Vector<uint>(keyLow));
        return Mix(x ^ new Vector<uint>(keyHigh));
    }

    private static uint Hash(uint counter, uint keyLow, uint keyHigh) =>
        Mix(Mix((counter * 0x9E37_79B9) + keyLow) ^ keyHigh);

    // Chris Wellons' "lowbias32" mixer: a bijection with low bias, in 32-bit operations only.
    private static Vector<uint> Mix(Vector<uint> x)
    {
        x ^= x >> 16;
        x *= new Vector<uint>(0x7FEB_352D);
        x ^= x >> 15;
        x *= new Vector<uint>(0x846C_A68B);
        return x ^ (x >> 16);
    }

    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB_352D;
        x ^= x >> 15;
        x *= 0x846C_A68B;
        return x ^ (x >> 16);
    }

    private static Vector<uint> RoundToBFloat16(Vector<uint> bits) =>
        (bits + new Vector<uint>(0x7FFF) + ((bits >> 16) & Vector<uint>.One)) & new Vector<uint>(0xFFFF_0000);

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }
}
