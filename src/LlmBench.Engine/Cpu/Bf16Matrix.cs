using System.Numerics.Tensors;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// Weights kept as bf16, as checkpoints store them (half the bytes of fp32), widened to fp32 in registers as a
/// step uses them. Decode streams every weight once per step, so half the bytes is up to half the time; see
/// docs/CPU-ENGINE.md for the measurement.
/// </summary>
internal sealed class Bf16Matrix : WeightMatrix
{
    private readonly ushort[] _packed;

    [ThreadStatic]
    private static float[]? t_row;

    /// <summary>The calling thread's input, de-interleaved for the kernel; grown once to the largest pass.</summary>
    [ThreadStatic]
    private static float[]? t_input;

    /// <param name="bits">Row-major bf16 values; the matrix takes the array and packs it in place.</param>
    public Bf16Matrix(ushort[] bits, int rows, int columns)
        : base(rows, columns)
    {
        if (bits.LongLength != (long)rows * columns)
            throw new ArgumentException($"{bits.LongLength} values do not make a {rows}x{columns} matrix.", nameof(bits));
        TileLayout.PackInPlace<ushort>(bits, rows, columns);
        _packed = bits;
    }

    public override long SizeBytes => _packed.LongLength * sizeof(ushort);

    public override void ReadRow(int row, Span<float> destination)
    {
        Span<ushort> bits = Columns <= 4096 ? stackalloc ushort[Columns] : new ushort[Columns];
        TileLayout.CopyRow<ushort>(_packed, row, Rows, Columns, bits);
        Widening.Bf16ToSingle(bits, destination);
    }

    protected override float[] PrepareInput(float[] input, int numTokens)
    {
        if (!MatMulKernels.IsSupported)
            return input;
        int length = numTokens * Columns;
        if (t_input is null || t_input.Length < length)
            t_input = GC.AllocateArray<float>(length, pinned: true);
        InputOrder.Deinterleave16(input.AsSpan(0, length), t_input, numTokens, Columns);
        return t_input;
    }

    protected override unsafe void MultiplyRows(float[] input, int numTokens, float[] output, int rowStart, int rowEnd)
    {
        if (MatMulKernels.IsSupported)
        {
            fixed (ushort* w = _packed)
            fixed (float* x = input, y = output)
                MatMulKernels.Multiply<Bf16Vectors>((byte*)w, Rows, Columns, x, numTokens, y, Rows, rowStart, rowEnd);
            return;
        }
        // Portable path: widen a row into a per-thread buffer, then one dot per token.
        if (t_row is null || t_row.Length < Columns)
            t_row = new float[Columns];
        var row32 = t_row.AsSpan(0, Columns);
        for (int row = rowStart; row < rowEnd; row++)
        {
            ReadRow(row, row32);
            for (int t = 0; t < numTokens; t++)
                output[t * Rows + row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(input, t * Columns, Columns), row32);
        }
    }
}
