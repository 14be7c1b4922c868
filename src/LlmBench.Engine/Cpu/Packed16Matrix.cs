using System.Numerics.Tensors;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// Weights kept as stored (bf16 or f16, half the bytes of fp32) and widened one row at a time into a per-thread
/// fp32 row that stays in L1 while every token of the batch uses it. Decode is memory-bound, so reading half the
/// bytes beats the cost of widening (see docs/PERFORMANCE.md for the measurement).
/// </summary>
internal sealed class Packed16Matrix : WeightMatrix
{
    private readonly ushort[] _bits;
    private readonly TensorDType _dtype;

    [ThreadStatic]
    private static float[]? t_row;

    public Packed16Matrix(ushort[] bits, TensorDType dtype, int rows, int columns)
        : base(rows, columns)
    {
        if (dtype is not (TensorDType.BF16 or TensorDType.F16))
            throw new ArgumentException($"a packed matrix holds bf16 or f16, not {dtype}.", nameof(dtype));
        if (bits.LongLength != (long)rows * columns)
            throw new ArgumentException($"{bits.LongLength} values do not make a {rows}x{columns} matrix.", nameof(bits));
        _bits = bits;
        _dtype = dtype;
    }

    public override long SizeBytes => _bits.LongLength * sizeof(ushort);

    public override void ReadRow(int row, Span<float> destination) =>
        Widen(new ReadOnlySpan<ushort>(_bits, row * Columns, Columns), destination);

    protected override void MultiplyRows(float[] input, int numTokens, float[] output, int rowStart, int rowEnd)
    {
        int columns = Columns;
        var row32 = RowBuffer(columns);
        for (int row = rowStart; row < rowEnd; row++)
        {
            Widen(new ReadOnlySpan<ushort>(_bits, row * columns, columns), row32);
            for (int t = 0; t < numTokens; t++)
                output[t * Rows + row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(input, t * columns, columns), row32);
        }
    }

    private void Widen(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (_dtype == TensorDType.BF16)
            Widening.Bf16ToSingle(source, destination);
        else
            Widening.F16ToSingle(source, destination);
    }

    /// <summary>One fp32 row per thread, grown once to the widest matrix and then reused by every step.</summary>
    private static Span<float> RowBuffer(int columns)
    {
        if (t_row is null || t_row.Length < columns)
            t_row = new float[columns];
        return t_row.AsSpan(0, columns);
    }
}
