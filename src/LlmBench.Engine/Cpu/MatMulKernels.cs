using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// y = x·Wᵀ on AVX2+FMA in register tiles of 4 weight rows × 4 tokens: each step loads 4 weight vectors and
/// 4 input vectors for 16 FMAs, so a batch costs little more weight traffic than one token. Every (row, token)
/// pair has its own accumulator, summed over k in the same order in every tile shape, so a token's result is
/// bit-identical whatever else is in the batch. Generic over how a weight vector is loaded (fp32, or bf16
/// widened in register), which the JIT specializes away.
/// </summary>
internal static unsafe class MatMulKernels
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>output[t * outputStride + r] for rows [rowStart, rowEnd) and tokens [0, numTokens).</summary>
    public static void Multiply<TWeights>(byte* weights, int columns, float* input, int numTokens, float* output, int outputStride, int rowStart, int rowEnd)
        where TWeights : struct, IWeightVectors
    {
        nint rowBytes = (nint)columns * TWeights.ElementBytes;
        int row = rowStart;
        for (; row + 4 <= rowEnd; row += 4)
        {
            byte* w = weights + row * rowBytes;
            int t = 0;
            for (; t + 4 <= numTokens; t += 4)
                Tile4x4<TWeights>(w, rowBytes, columns, input + (nint)t * columns, output + (nint)t * outputStride + row, outputStride);
            for (; t < numTokens; t++)
                Tile4x1<TWeights>(w, rowBytes, columns, input + (nint)t * columns, output + (nint)t * outputStride + row);
        }
        for (; row < rowEnd; row++)
        {
            for (int t = 0; t < numTokens; t++)
                output[(nint)t * outputStride + row] = Dot<TWeights>(weights + row * rowBytes, input + (nint)t * columns, columns);
        }
    }

    private static void Tile4x4<TW>(byte* w, nint rowBytes, int columns, float* x, float* y, int yStride)
        where TW : struct, IWeightVectors
    {
        byte* w0 = w, w1 = w + rowBytes, w2 = w + 2 * rowBytes, w3 = w + 3 * rowBytes;
        float* x0 = x, x1 = x + columns, x2 = x + 2 * columns, x3 = x + 3 * columns;
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector256<float> a30 = default, a31 = default, a32 = default, a33 = default;
        int k = 0;
        for (; k + 8 <= columns; k += 8)
        {
            var v0 = Avx.LoadVector256(x0 + k);
            var v1 = Avx.LoadVector256(x1 + k);
            var v2 = Avx.LoadVector256(x2 + k);
            var v3 = Avx.LoadVector256(x3 + k);
            var r = TW.Load8(w0, k);
            a00 = Fma.MultiplyAdd(r, v0, a00); a01 = Fma.MultiplyAdd(r, v1, a01); a02 = Fma.MultiplyAdd(r, v2, a02); a03 = Fma.MultiplyAdd(r, v3, a03);
            r = TW.Load8(w1, k);
            a10 = Fma.MultiplyAdd(r, v0, a10); a11 = Fma.MultiplyAdd(r, v1, a11); a12 = Fma.MultiplyAdd(r, v2, a12); a13 = Fma.MultiplyAdd(r, v3, a13);
            r = TW.Load8(w2, k);
            a20 = Fma.MultiplyAdd(r, v0, a20); a21 = Fma.MultiplyAdd(r, v1, a21); a22 = Fma.MultiplyAdd(r, v2, a22); a23 = Fma.MultiplyAdd(r, v3, a23);
            r = TW.Load8(w3, k);
            a30 = Fma.MultiplyAdd(r, v0, a30); a31 = Fma.MultiplyAdd(r, v1, a31); a32 = Fma.MultiplyAdd(r, v2, a32); a33 = Fma.MultiplyAdd(r, v3, a33);
        }
        y[0] = Finish<TW>(a00, w0, x0, k, columns); y[1] = Finish<TW>(a10, w1, x0, k, columns);
        y[2] = Finish<TW>(a20, w2, x0, k, columns); y[3] = Finish<TW>(a30, w3, x0, k, columns);
        y += yStride;
        y[0] = Finish<TW>(a01, w0, x1, k, columns); y[1] = Finish<TW>(a11, w1, x1, k, columns);
        y[2] = Finish<TW>(a21, w2, x1, k, columns); y[3] = Finish<TW>(a31, w3, x1, k, columns);
        y += yStride;
        y[0] = Finish<TW>(a02, w0, x2, k, columns); y[1] = Finish<TW>(a12, w1, x2, k, columns);
        y[2] = Finish<TW>(a22, w2, x2, k, columns); y[3] = Finish<TW>(a32, w3, x2, k, columns);
        y += yStride;
        y[0] = Finish<TW>(a03, w0, x3, k, columns); y[1] = Finish<TW>(a13, w1, x3, k, columns);
        y[2] = Finish<TW>(a23, w2, x3, k, columns); y[3] = Finish<TW>(a33, w3, x3, k, columns);
    }

    private static void Tile4x1<TW>(byte* w, nint rowBytes, int columns, float* x, float* y)
        where TW : struct, IWeightVectors
    {
        byte* w0 = w, w1 = w + rowBytes, w2 = w + 2 * rowBytes, w3 = w + 3 * rowBytes;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int k = 0;
        for (; k + 8 <= columns; k += 8)
        {
            var v = Avx.LoadVector256(x + k);
            a0 = Fma.MultiplyAdd(TW.Load8(w0, k), v, a0);
            a1 = Fma.MultiplyAdd(TW.Load8(w1, k), v, a1);
            a2 = Fma.MultiplyAdd(TW.Load8(w2, k), v, a2);
            a3 = Fma.MultiplyAdd(TW.Load8(w3, k), v, a3);
        }
        y[0] = Finish<TW>(a0, w0, x, k, columns);
        y[1] = Finish<TW>(a1, w1, x, k, columns);
        y[2] = Finish<TW>(a2, w2, x, k, columns);
        y[3] = Finish<TW>(a3, w3, x, k, columns);
    }

    private static float Dot<TW>(byte* w, float* x, int columns)
        where TW : struct, IWeightVectors
    {
        Vector256<float> a = default;
        int k = 0;
        for (; k + 8 <= columns; k += 8)
            a = Fma.MultiplyAdd(TW.Load8(w, k), Avx.LoadVector256(x + k), a);
        return Finish<TW>(a, w, x, k, columns);
    }

    /// <summary>The lanes' sum, then the columns past the last full vector, in order (the same in every tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish<TW>(Vector256<float> accumulator, byte* w, float* x, int k, int columns)
        where TW : struct, IWeightVectors
    {
        float sum = Vector256.Sum(accumulator);
        for (; k < columns; k++)
            sum += TW.Load1(w, k) * x[k];
        return sum;
    }
}

/// <summary>How a weight row's elements become fp32 vectors in registers.</summary>
internal interface IWeightVectors
{
    static abstract int ElementBytes { get; }

    static abstract unsafe Vector256<float> Load8(byte* row, int k);

    static abstract unsafe float Load1(byte* row, int k);
}

internal readonly struct Float32Vectors : IWeightVectors
{
    public static int ElementBytes => sizeof(float);

    public static unsafe Vector256<float> Load8(byte* row, int k) => Avx.LoadVector256((float*)row + k);

    public static unsafe float Load1(byte* row, int k) => ((float*)row)[k];
}

/// <summary>bf16 is the top half of an fp32: zero-extend to 32 bits and shift left by 16.</summary>
internal readonly struct Bf16Vectors : IWeightVectors
{
    public static int ElementBytes => sizeof(ushort);

    public static unsafe Vector256<float> Load8(byte* row, int k) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32((ushort*)row + k), 16).AsSingle();

    public static unsafe float Load1(byte* row, int k) => Widening.Bf16ToSingle(((ushort*)row)[k]);
}
