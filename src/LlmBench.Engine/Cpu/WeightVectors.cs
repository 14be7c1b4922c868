using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// How 16 consecutive weights of a row become two fp32 vectors in registers (halves 0 and 1); the input must be
/// laid out to match (<see cref="InputOrder"/>). Tail weights past the last block of 16 are read one by one.
/// </summary>
internal interface IWeightVectors
{
    static abstract int ElementBytes { get; }

    static abstract unsafe Vector256<float> Load8(byte* block, int half);

    static abstract unsafe float Load1(byte* weights, int index);
}

internal readonly struct Float32Vectors : IWeightVectors
{
    public static int ElementBytes => sizeof(float);

    public static unsafe Vector256<float> Load8(byte* block, int half) => Avx.LoadVector256((float*)block + 8 * half);

    public static unsafe float Load1(byte* weights, int index) => ((float*)weights)[index];
}

/// <summary>
/// bf16 is the top half of an fp32. Sixteen bf16 read as eight 32-bit lanes give the even columns by a left shift
/// and the odd ones by masking the low half: two ALU ops per 16 weights, no shuffles. The input is therefore
/// de-interleaved per block of 16 (evens, then odds) once per pass, see <see cref="InputOrder.Deinterleave16"/>.
/// </summary>
internal readonly struct Bf16Vectors : IWeightVectors
{
    public static int ElementBytes => sizeof(ushort);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Load8(byte* block, int half)
    {
        var pairs = Avx.LoadVector256((uint*)block);
        return half == 0
            ? Avx2.ShiftLeftLogical(pairs, 16).AsSingle()
            : Avx2.And(pairs, Vector256.Create(0xFFFF0000u)).AsSingle();
    }

    public static unsafe float Load1(byte* weights, int index) => Widening.Bf16ToSingle(((ushort*)weights)[index]);
}

internal static class InputOrder
{
    /// <summary>Per block of 16 columns: the 8 even columns, then the 8 odd ones; the tail past the last block as is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Deinterleave16(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        int blocks = columns / 16 * 16;
        for (int r = 0; r < rows; r++)
        {
            var from = source.Slice(r * columns, columns);
            var to = destination.Slice(r * columns, columns);
            for (int k = 0; k < blocks; k += 16)
            {
                for (int i = 0; i < 8; i++)
                {
                    to[k + i] = from[k + 2 * i];
                    to[k + 8 + i] = from[k + 2 * i + 1];
                }
            }
            from[blocks..].CopyTo(to[blocks..]);
        }
    }
}
