using System.Numerics.Tensors;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// Weights kept as bf16, as checkpoints store them (half the bytes of fp32), widened to fp32 in registers as a
/// step uses them. Decode is memory-bound, so reading half the bytes beats widening once at load
/// (see docs/CPU-ENGINE.md for the measurement).
/// </summary>
internal sealed class Bf16Matrix : WeightMatrix
{
    private readonly ushort[] _bits;

    [ThreadStatic]
    private static float[]? t_row;

    public Bf16Matrix(ushort[] bits, int rows, int columns)
        : base(rows, columns)
    {
        if (bits.LongLength != (long)rows * columns)
            throw new ArgumentException($"{bits.LongLength} values do not make a {rows}x{columns} matrix.", nameof(bits));
        _bits = bits;
    }

    public override long SizeBytes => _bits.LongLength * sizeof(ushort);

    public override void ReadRow(int row, Span<float> destination) =>
        Widening.Bf16ToSingle(new ReadOnlySpan<ushort>(_bits, row * Columns, Columns), destination);

    protected override unsafe void MultiplyRows(float[] input, int numTokens, float[] output, int rowStart, int rowEnd)
    {
        if (MatMulKernels.IsSupported)
        {
            fixed (ushort* w = _bits)
            fixed (float* x = input, y = output)
                MatMulKernels.Multiply<Bf16Vectors>((byte*)w, Columns, x, numTokens, y, Rows, rowStart, rowEnd);
            return;
        }
        // Portable path: widen a row into a per-thread buffer, then one dot per token.
        int columns = Columns;
        if (t_row is null || t_row.Length < columns)
            t_row = new float[columns];
        var row32 = t_row.AsSpan(0, columns);
        for (int row = rowStart; row < rowEnd; row++)
        {
            Widening.Bf16ToSingle(new ReadOnlySpan<ushort>(_bits, row * columns, columns), row32);
            for (int t = 0; t < numTokens; t++)
                output[t * Rows + row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(input, t * columns, columns), row32);
        }
    }
}
