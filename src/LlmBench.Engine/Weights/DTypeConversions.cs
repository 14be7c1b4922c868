using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlmBench.Engine.Weights;

/// <summary>
/// Widening of stored weights to fp32 and bf16 rounding (fp8 e4m3 codes widen unscaled: see <see cref="Float8E4M3"/>). A bf16 value is the top half of an fp32, so
/// widening is a 16-bit shift per element, done here a vector at a time.
/// </summary>
public static class DTypeConversions
{
    /// <summary>Widens <paramref name="source"/> bytes stored as <paramref name="dtype"/> into <paramref name="destination"/>.</summary>
    public static void WidenToFloat32(TensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case TensorDType.F32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case TensorDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case TensorDType.BF16:
                BFloat16ToFloat32(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case TensorDType.F8_E4M3:
                Float8E4M3.Decode(source, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");
        }
    }

    /// <summary>Widens bf16 bit patterns to fp32 (exact).</summary>
    public static void BFloat16ToFloat32(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));

        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<ushort>.Count;
            for (; i <= source.Length - width; i += width)
            {
                Vector.Widen(Vector.LoadUnsafe(ref src, (nuint)i), out var low, out var high);
                Vector.ShiftLeft(low, 16).StoreUnsafe(ref dst, (nuint)i);
                Vector.ShiftLeft(high, 16).StoreUnsafe(ref dst, (nuint)(i + (width / 2)));
            }
        }

        for (; i < source.Length; i++)
            Unsafe.Add(ref dst, i) = (uint)Unsafe.Add(ref src, i) << 16;
    }

    /// <summary>Rounds fp32 to bf16 bit patterns, to nearest even as PyTorch does; NaN stays NaN.</summary>
    public static void Float32ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));

        ref var src = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<uint>.Count;
            for (; i <= source.Length - (2 * width); i += 2 * width)
            {
                var low = RoundedHighHalves(Vector.LoadUnsafe(ref src, (nuint)i));
                var high = RoundedHighHalves(Vector.LoadUnsafe(ref src, (nuint)(i + width)));
                Vector.Narrow(low, high).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
            Unsafe.Add(ref dst, i) = RoundToBFloat16Bits(Unsafe.Add(ref src, i));
    }

    /// <summary>fp32 bits rounded to the nearest bf16, as the bf16 bit pattern.</summary>
    public static ushort RoundToBFloat16Bits(uint bits)
    {
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000)
            return (ushort)((bits >> 16) | 0x40);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    private static Vector<uint> RoundedHighHalves(Vector<uint> bits)
    {
        var rounded = (bits + new Vector<uint>(0x7FFF) + ((bits >> 16) & Vector<uint>.One)) >> 16;
        var isNaN = Vector.GreaterThan(bits & new Vector<uint>(0x7FFF_FFFF), new Vector<uint>(0x7F80_0000));
        return Vector.ConditionalSelect(isNaN, (bits >> 16) | new Vector<uint>(0x40), rounded);
    }
}
