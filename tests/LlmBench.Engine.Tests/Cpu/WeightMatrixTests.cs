using LlmBench.Engine.Cpu;

namespace LlmBench.Engine.Tests.Cpu;

public class WeightMatrixTests
{
    /// <summary>Shapes that hit every edge: rows not a multiple of the 4-row tile, columns with a tail past the
    /// 8-wide vectors, token counts below, at and past the 4-token tile, and a matrix big enough to split across cores.</summary>
    public static IEnumerable<TheoryDataRow<int, int, int>> Shapes() =>
    [
        new(1, 1, 1), new(3, 7, 2), new(4, 8, 4), new(5, 13, 5), new(9, 33, 7), new(64, 96, 1), new(257, 130, 9), new(600, 256, 3),
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_MatchesADoublePrecisionProduct_ForFp32AndBf16(int rows, int columns, int tokens)
    {
        var random = new Random(rows * 1000 + columns);
        var values = Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var bits = values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray();
        var input = Enumerable.Range(0, tokens * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        foreach (WeightMatrix matrix in new WeightMatrix[] { new Float32Matrix(values, rows, columns), new Bf16Matrix(bits, rows, columns) })
        {
            var output = new float[tokens * rows];
            matrix.Multiply(input, tokens, output);
            var row = new float[columns];
            for (int r = 0; r < rows; r++)
            {
                matrix.ReadRow(r, row);
                for (int t = 0; t < tokens; t++)
                {
                    double expected = 0;
                    for (int c = 0; c < columns; c++)
                        expected += (double)row[c] * input[t * columns + c];
                    Assert.Equal(expected, output[t * rows + r], 1e-4 * Math.Sqrt(columns));
                }
            }
        }
    }

    [Fact]
    public void ATokensResult_IsBitIdentical_WhateverElseIsInTheBatch()
    {
        const int rows = 70, columns = 45, tokens = 7;
        var random = new Random(2);
        var bits = Enumerable.Range(0, rows * columns).Select(_ => (ushort)random.Next(0x3C00, 0x3F80)).ToArray();
        var values = bits.Select(b => BitConverter.Int32BitsToSingle(b << 16) - 0.9f).ToArray();
        var input = Enumerable.Range(0, tokens * columns).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        foreach (WeightMatrix matrix in new WeightMatrix[] { new Float32Matrix(values, rows, columns), new Bf16Matrix(bits, rows, columns) })
        {
            var batched = new float[tokens * rows];
            matrix.Multiply(input, tokens, batched);
            for (int t = 0; t < tokens; t++)
            {
                var alone = new float[rows];
                matrix.Multiply(input[(t * columns)..((t + 1) * columns)], 1, alone);
                Assert.Equal(alone, batched[(t * rows)..((t + 1) * rows)]);
            }
        }
    }

    [Fact]
    public void Deinterleave16_PutsEachBlocksEvenColumnsFirst_AndLeavesTheTail()
    {
        Assert.SkipUnless(MatMulKernels.IsSupported, "the de-interleaved order is used only by the AVX2 kernel");
        const int columns = 37;
        var source = Enumerable.Range(0, 2 * columns).Select(i => (float)i).ToArray();
        var destination = new float[source.Length];

        InputOrder.Deinterleave16(source, destination, 2, columns);

        for (int row = 0; row < 2; row++)
        {
            var expected = new List<float>();
            for (int block = 0; block < 32; block += 16)
            {
                expected.AddRange(Enumerable.Range(0, 8).Select(i => source[row * columns + block + 2 * i]));
                expected.AddRange(Enumerable.Range(0, 8).Select(i => source[row * columns + block + 2 * i + 1]));
            }
            expected.AddRange(source[(row * columns + 32)..((row + 1) * columns)]);
            Assert.Equal(expected, destination[(row * columns)..((row + 1) * columns)]);
        }
    }
}
