using System.Numerics.Tensors;

namespace LlmBench.Engine.Cpu;

/// <summary>Weights held as fp32 (fp32 checkpoints, or 16-bit ones widened once at load).</summary>
internal sealed class Float32Matrix : WeightMatrix
{
    private readonly float[] _values;

    public Float32Matrix(float[] values, int rows, int columns)
        : base(rows, columns)
    {
        if (values.LongLength != (long)rows * columns)
            throw new ArgumentException($"{values.LongLength} values do not make a {rows}x{columns} matrix.", nameof(values));
        _values = values;
    }

    public override long SizeBytes => _values.LongLength * sizeof(float);

    public override void ReadRow(int row, Span<float> destination) =>
        _values.AsSpan(row * Columns, Columns).CopyTo(destination);

    protected override unsafe void MultiplyRows(float[] input, int numTokens, float[] output, int rowStart, int rowEnd)
    {
        if (MatMulKernels.IsSupported)
        {
            fixed (float* w = _values, x = input, y = output)
                MatMulKernels.Multiply<Float32Vectors>((byte*)w, Columns, x, numTokens, y, Rows, rowStart, rowEnd);
            return;
        }
        int columns = Columns;
        for (int row = rowStart; row < rowEnd; row++)
        {
            var weights = new ReadOnlySpan<float>(_values, row * columns, columns);
            for (int t = 0; t < numTokens; t++)
                output[t * Rows + row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(input, t * columns, columns), weights);
        }
    }
}
