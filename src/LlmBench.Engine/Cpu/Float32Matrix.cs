using System.Numerics.Tensors;

namespace LlmBench.Engine.Cpu;

/// <summary>Weights held as fp32 (fp32 and f16 checkpoints, or bf16 widened at load).</summary>
internal sealed class Float32Matrix : WeightMatrix
{
    private readonly float[] _packed;

    [ThreadStatic]
    private static float[]? t_row;

    /// <param name="values">Row-major values; the matrix takes the array and packs it in place.</param>
    public Float32Matrix(float[] values, int rows, int columns)
        : base(rows, columns)
    {
        if (values.LongLength != (long)rows * columns)
            throw new ArgumentException($"{values.LongLength} values do not make a {rows}x{columns} matrix.", nameof(values));
        TileLayout.PackInPlace<float>(values, rows, columns);
        _packed = values;
    }

    public override long SizeBytes => _packed.LongLength * sizeof(float);

    public override void ReadRow(int row, Span<float> destination) =>
        TileLayout.CopyRow<float>(_packed, row, Rows, Columns, destination);

    protected override unsafe void MultiplyRows(float[] input, int numTokens, float[] output, int rowStart, int rowEnd)
    {
        if (MatMulKernels.IsSupported)
        {
            fixed (float* w = _packed, x = input, y = output)
                MatMulKernels.Multiply<Float32Vectors>((byte*)w, Rows, Columns, x, numTokens, y, Rows, rowStart, rowEnd);
            return;
        }
        // Portable path: unpack a row into a per-thread buffer, then one dot per token.
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
