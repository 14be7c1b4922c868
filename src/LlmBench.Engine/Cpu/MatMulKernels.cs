using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// y = x·Wᵀ on AVX2+FMA over weights in <see cref="TileLayout"/>, in register tiles of 4 rows × 4 tokens: each
/// 8 columns load 4 weight vectors and 4 input vectors for 16 FMAs, so a batch costs little more weight traffic
/// than one token. Every (row, token) pair has its own accumulator, summed over the columns in the same order in
/// every tile shape, so a token's result is bit-identical whatever else is in the batch. Generic over how weight
/// vectors are loaded (fp32, or bf16 widened in register), which the JIT specializes away. Compiled fully
/// optimized at once (AggressiveOptimization): tier-0 code of these loops is ten times slower and distorts short runs.
/// </summary>
internal static unsafe class MatMulKernels
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>output[t * outputStride + r] for rows [rowStart, rowEnd) (rowStart a multiple of 4) and tokens [0, numTokens).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TW>(byte* weights, int rows, int columns, float* input, int numTokens, float* output, int outputStride, int rowStart, int rowEnd)
        where TW : struct, IWeightVectors
    {
        int groupedRows = rows / TileLayout.Rows * TileLayout.Rows;
        int row = rowStart;
        for (; row + TileLayout.Rows <= Math.Min(rowEnd, groupedRows); row += TileLayout.Rows)
        {
            byte* group = weights + (nint)row * columns * TW.ElementBytes;
            int t = 0;
            for (; t + 4 <= numTokens; t += 4)
                Tile4x4<TW>(group, columns, input + (nint)t * columns, output + (nint)t * outputStride + row, outputStride);
            for (; t < numTokens; t++)
                Tile4x1<TW>(group, columns, input + (nint)t * columns, output + (nint)t * outputStride + row);
        }
        for (; row < rowEnd; row++)
        {
            byte* plain = weights + (nint)row * columns * TW.ElementBytes;
            for (int t = 0; t < numTokens; t++)
                output[(nint)t * outputStride + row] = Dot<TW>(plain, input + (nint)t * columns, columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4<TW>(byte* group, int columns, float* x, float* y, int yStride)
        where TW : struct, IWeightVectors
    {
        float* x0 = x, x1 = x + columns, x2 = x + 2 * columns, x3 = x + 3 * columns;
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector256<float> a30 = default, a31 = default, a32 = default, a33 = default;
        int k = 0;
        byte* block = group;
        for (; k + 16 <= columns; k += 16, block += 64 * TW.ElementBytes)
        {
            // Written out for both halves: a loop over the halves kept a branch per weight vector.
            var v0 = Avx.LoadVector256(x0 + k);
            var v1 = Avx.LoadVector256(x1 + k);
            var v2 = Avx.LoadVector256(x2 + k);
            var v3 = Avx.LoadVector256(x3 + k);
            var r = TW.First8(block);
            a00 = Fma.MultiplyAdd(r, v0, a00); a01 = Fma.MultiplyAdd(r, v1, a01); a02 = Fma.MultiplyAdd(r, v2, a02); a03 = Fma.MultiplyAdd(r, v3, a03);
            r = TW.First8(block + 16 * TW.ElementBytes);
            a10 = Fma.MultiplyAdd(r, v0, a10); a11 = Fma.MultiplyAdd(r, v1, a11); a12 = Fma.MultiplyAdd(r, v2, a12); a13 = Fma.MultiplyAdd(r, v3, a13);
            r = TW.First8(block + 32 * TW.ElementBytes);
            a20 = Fma.MultiplyAdd(r, v0, a20); a21 = Fma.MultiplyAdd(r, v1, a21); a22 = Fma.MultiplyAdd(r, v2, a22); a23 = Fma.MultiplyAdd(r, v3, a23);
            r = TW.First8(block + 48 * TW.ElementBytes);
            a30 = Fma.MultiplyAdd(r, v0, a30); a31 = Fma.MultiplyAdd(r, v1, a31); a32 = Fma.MultiplyAdd(r, v2, a32); a33 = Fma.MultiplyAdd(r, v3, a33);

            v0 = Avx.LoadVector256(x0 + k + 8);
            v1 = Avx.LoadVector256(x1 + k + 8);
            v2 = Avx.LoadVector256(x2 + k + 8);
            v3 = Avx.LoadVector256(x3 + k + 8);
            r = TW.Second8(block);
            a00 = Fma.MultiplyAdd(r, v0, a00); a01 = Fma.MultiplyAdd(r, v1, a01); a02 = Fma.MultiplyAdd(r, v2, a02); a03 = Fma.MultiplyAdd(r, v3, a03);
            r = TW.Second8(block + 16 * TW.ElementBytes);
            a10 = Fma.MultiplyAdd(r, v0, a10); a11 = Fma.MultiplyAdd(r, v1, a11); a12 = Fma.MultiplyAdd(r, v2, a12); a13 = Fma.MultiplyAdd(r, v3, a13);
            r = TW.Second8(block + 32 * TW.ElementBytes);
            a20 = Fma.MultiplyAdd(r, v0, a20); a21 = Fma.MultiplyAdd(r, v1, a21); a22 = Fma.MultiplyAdd(r, v2, a22); a23 = Fma.MultiplyAdd(r, v3, a23);
            r = TW.Second8(block + 48 * TW.ElementBytes);
            a30 = Fma.MultiplyAdd(r, v0, a30); a31 = Fma.MultiplyAdd(r, v1, a31); a32 = Fma.MultiplyAdd(r, v2, a32); a33 = Fma.MultiplyAdd(r, v3, a33);
        }
        int tail = columns - k;
        byte* t0 = block, t1 = block + tail * TW.ElementBytes, t2 = block + 2 * tail * TW.ElementBytes, t3 = block + 3 * tail * TW.ElementBytes;
        y[0] = Finish<TW>(a00, t0, x0 + k, tail); y[1] = Finish<TW>(a10, t1, x0 + k, tail);
        y[2] = Finish<TW>(a20, t2, x0 + k, tail); y[3] = Finish<TW>(a30, t3, x0 + k, tail);
        y += yStride;
        y[0] = Finish<TW>(a01, t0, x1 + k, tail); y[1] = Finish<TW>(a11, t1, x1 + k, tail);
        y[2] = Finish<TW>(a21, t2, x1 + k, tail); y[3] = Finish<TW>(a31, t3, x1 + k, tail);
        y += yStride;
        y[0] = Finish<TW>(a02, t0, x2 + k, tail); y[1] = Finish<TW>(a12, t1, x2 + k, tail);
        y[2] = Finish<TW>(a22, t2, x2 + k, tail); y[3] = Finish<TW>(a32, t3, x2 + k, tail);
        y += yStride;
        y[0] = Finish<TW>(a03, t0, x3 + k, tail); y[1] = Finish<TW>(a13, t1, x3 + k, tail);
        y[2] = Finish<TW>(a23, t2, x3 + k, tail); y[3] = Finish<TW>(a33, t3, x3 + k, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<TW>(byte* group, int columns, float* x, float* y)
        where TW : struct, IWeightVectors
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int k = 0;
        byte* block = group;
        for (; k + 16 <= columns; k += 16, block += 64 * TW.ElementBytes)
        {
            var v = Avx.LoadVector256(x + k);
            a0 = Fma.MultiplyAdd(TW.First8(block), v, a0);
            a1 = Fma.MultiplyAdd(TW.First8(block + 16 * TW.ElementBytes), v, a1);
            a2 = Fma.MultiplyAdd(TW.First8(block + 32 * TW.ElementBytes), v, a2);
            a3 = Fma.MultiplyAdd(TW.First8(block + 48 * TW.ElementBytes), v, a3);
            v = Avx.LoadVector256(x + k + 8);
            a0 = Fma.MultiplyAdd(TW.Second8(block), v, a0);
            a1 = Fma.MultiplyAdd(TW.Second8(block + 16 * TW.ElementBytes), v, a1);
            a2 = Fma.MultiplyAdd(TW.Second8(block + 32 * TW.ElementBytes), v, a2);
            a3 = Fma.MultiplyAdd(TW.Second8(block + 48 * TW.ElementBytes), v, a3);
        }
        int tail = columns - k;
        y[0] = Finish<TW>(a0, block, x + k, tail);
        y[1] = Finish<TW>(a1, block + tail * TW.ElementBytes, x + k, tail);
        y[2] = Finish<TW>(a2, block + 2 * tail * TW.ElementBytes, x + k, tail);
        y[3] = Finish<TW>(a3, block + 3 * tail * TW.ElementBytes, x + k, tail);
    }

    /// <summary>A row stored plainly (left over after the last group of 4), summed in the same order as a tile row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot<TW>(byte* row, float* x, int columns)
        where TW : struct, IWeightVectors
    {
        Vector256<float> a = default;
        int k = 0;
        for (; k + 16 <= columns; k += 16)
        {
            a = Fma.MultiplyAdd(TW.First8(row + k * TW.ElementBytes), Avx.LoadVector256(x + k), a);
            a = Fma.MultiplyAdd(TW.Second8(row + k * TW.ElementBytes), Avx.LoadVector256(x + k + 8), a);
        }
        return Finish<TW>(a, row + k * TW.ElementBytes, x + k, columns - k);
    }

    /// <summary>The lanes' sum, then the columns past the last full block, in order (the same in every tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish<TW>(Vector256<float> accumulator, byte* tailWeights, float* tailInput, int tail)
        where TW : struct, IWeightVectors
    {
        float sum = Vector256.Sum(accumulator);
        for (int j = 0; j < tail; j++)
            sum += TW.Load1(tailWeights, j) * tailInput[j];
        return sum;
    }
}
