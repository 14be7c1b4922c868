namespace LlmBench.Engine.Cpu;

/// <summary>
/// The weight layout the matmul kernel streams. Rows are taken in groups of 4; inside a group, each block of 16
/// columns holds row 0's 16 values, then row 1's, row 2's and row 3's, and the columns past the last full block
/// follow row by row. Rows left over after the last full group stay row-major at the end. A group occupies
/// exactly the span its 4 rows occupy row-major, so packing is done in place, group by group.
/// Why: a 4-row tile then reads memory strictly in order, one long stream the hardware prefetcher follows;
/// four separate row streams of a few kB each measured 2.7× slower on the 0.6B LM head (bf16, one token).
/// </summary>
internal static class TileLayout
{
    public const int Rows = 4;
    public const int BlockColumns = 16;

    public static void PackInPlace<T>(Span<T> values, int rows, int columns)
    {
        int full = columns / BlockColumns * BlockColumns, tail = columns - full;
        var rowMajor = new T[Rows * columns];
        for (int group = 0; group + Rows <= rows; group += Rows)
        {
            var span = values.Slice(group * columns, Rows * columns);
            span.CopyTo(rowMajor);
            for (int i = 0; i < Rows; i++)
            {
                for (int k = 0; k < full; k += BlockColumns)
                    rowMajor.AsSpan(i * columns + k, BlockColumns).CopyTo(span.Slice(k * Rows + i * BlockColumns));
                rowMajor.AsSpan(i * columns + full, tail).CopyTo(span.Slice(full * Rows + i * tail));
            }
        }
    }

    /// <summary>Copies row <paramref name="row"/> of a packed matrix back into plain order.</summary>
    public static void CopyRow<T>(ReadOnlySpan<T> packed, int row, int rows, int columns, Span<T> destination)
    {
        int groupStart = row / Rows * Rows;
        if (groupStart + Rows > rows)
        {
            packed.Slice(row * columns, columns).CopyTo(destination);
            return;
        }
        int full = columns / BlockColumns * BlockColumns, tail = columns - full, i = row - groupStart;
        var group = packed.Slice(groupStart * columns, Rows * columns);
        for (int k = 0; k < full; k += BlockColumns)
            group.Slice(k * Rows + i * BlockColumns, BlockColumns).CopyTo(destination[k..]);
        group.Slice(full * Rows + i * tail, tail).CopyTo(destination[full..]);
    }
}
