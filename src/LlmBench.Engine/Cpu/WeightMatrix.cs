namespace LlmBench.Engine.Cpu;

/// <summary>
/// A linear layer's weight, [Rows = out features, Columns = in features], held in <see cref="TileLayout"/>.
/// <see cref="Multiply"/> computes y = x·Wᵀ for a batch of tokens, reading the weights once per call and using
/// them for every token of the batch, with groups of rows split across the cores.
/// </summary>
internal abstract class WeightMatrix(int rows, int columns)
{
    public int Rows { get; } = rows;
    public int Columns { get; } = columns;

    /// <summary>Bytes the weights occupy in memory (what one decode step streams).</summary>
    public abstract long SizeBytes { get; }

    /// <summary>Row <paramref name="row"/> as fp32 (embedding lookup).</summary>
    public abstract void ReadRow(int row, Span<float> destination);

    /// <summary>output[t, r] = Σ_c input[t, c] · W[r, c] for t &lt; <paramref name="numTokens"/>; both buffers row-major from index 0.</summary>
    public void Multiply(float[] input, int numTokens, float[] output)
    {
        if (input.Length < (long)numTokens * Columns || output.Length < (long)numTokens * Rows)
            throw new ArgumentException($"buffers too small for {numTokens} tokens of a {Rows}x{Columns} matrix.");
        var prepared = PrepareInput(input, numTokens);
        int groups = (Rows + TileLayout.Rows - 1) / TileLayout.Rows;
        ParallelWork.ForRanges(groups, (long)TileLayout.Rows * Columns * numTokens, (first, end) =>
            MultiplyRows(prepared, numTokens, output, first * TileLayout.Rows, Math.Min(Rows, end * TileLayout.Rows)));
    }

    /// <summary>Lays the input out as the kernel reads it (once per pass, shared by every row).</summary>
    protected virtual float[] PrepareInput(float[] input, int numTokens) => input;

    /// <summary>Rows [rowStart, rowEnd); rowStart is a multiple of <see cref="TileLayout.Rows"/>.</summary>
    protected abstract void MultiplyRows(float[] input, int numTokens, float[] output, int rowStart, int rowEnd);
}
