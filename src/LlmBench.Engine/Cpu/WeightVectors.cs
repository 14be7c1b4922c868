using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// How 16 consecutive weights of a row become two fp32 vectors in registers; the input must be laid out to match
/// (<see cref="InputOrder"/>). Tail weights past the last block of 16 are read one by one.
/// </summary>
internal interface IWeightVectors
{
    static abstract int ElementBytes { get; }

    /// <summary>The weights that multiply input columns k..k+7 of the block (as the input is laid out).</summary>
    static abstract unsafe Vector256<float> First8(byte* block);

    /// <summary>The weights that multiply input columns k+8..k+15.</summary>
    static abstract unsafe Vector256<float> Second8(byte* block);

    static abstract unsafe float Load1(byte* weights, int index);
}

internal readonly struct Float32Vectors : IWeightVectors
{
    public static int ElementBytes => sizeof(float);

    public static unsafe Vector256<float> First8(byte* block) => Avx.LoadVector256((float*)block);

    public static unsafe Vector256<float> Second8(byte* block) => Avx.LoadVector256((float*)block + 8);

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

    /// <summary>The even columns: the low bf16 of each 32-bit lane, shifted into the high half.</summary>
    public static unsafe Vector256<float> First8(byte* block) =>
        Avx2.ShiftLeftLogical(Avx.LoadVector256((uint*)block), 16).AsSingle();

    /// <summary>The odd columns: the high bf16 of each lane, with the low half cleared.</summary>
    public static unsafe Vector256<float> Second8(byte* block) =>
        Avx2.And(Avx.LoadVector256((uint*)block), Vector256.Create(0xFFFF0000u)).AsSingle();

    public static unsafe float Load1(byte* weights, int index) => Widening.Bf16ToSingle(((ushort*)weights)[index]);
}

internal static class InputOrder
{
    /// <summary>Per block of 16 columns: the 8 even columns, then the 8 odd ones; the tail past the last block as is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Deinterleave16(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        if (destination.Length < rows * columns || source.Length < rows * columns)
            throw new ArgumentException("buffers are shorter than rows × columns.");
        int blocks = columns / 16 * 16;
        fixed (float* from0 = source, to0 = destination)
        {
            for (int r = 0; r < rows; r++)
            {
                float* from = from0 + (nint)r * columns, to = to0 + (nint)r * columns;
                for (int k = 0; k < blocks; k += 16)
                {
                    var a = Avx.LoadVector256(from + k);
                    var b = Avx.LoadVector256(from + k + 8);
                    // shuffle gives [a0 a2 b0 b2 | a4 a6 b4 b6]; the 64-bit permute puts the pairs in order.
                    var evens = Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble();
                    var odds = Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble();
                    Avx.Store(to + k, Avx2.Permute4x64(evens, 0b11_01_10_00).AsSingle());
                    Avx.Store(to + k + 8, Avx2.Permute4x64(odds, 0b11_01_10_00).AsSingle());
                }
                for (int k = blocks; k < columns; k++)
                    to[k] = from[k];
            }
        }
    }
}
