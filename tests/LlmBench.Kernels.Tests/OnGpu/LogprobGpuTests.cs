using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

/// <summary>
/// row_logprobs against <see cref="LogprobReference"/> (double precision). Ids must match exactly: the order is by
/// bf16 logits, exact in fp32, so there is nothing to round. Log-normalizers and log probabilities may differ by
/// 2e-5 + 1e-6·|reference|: fp32 exp and sums over up to 152k terms (about 1e-6 relative in the sum, so 1e-6
/// absolute after the log), plus one fp32 rounding of values up to a few hundred in magnitude.
/// </summary>
[Collection(GpuCollection.Name)]
public class LogprobGpuTests(GpuFixture fixture)
{
    private LogprobKernel Kernel() => fixture.Family("", c => new LogprobKernel(c));

    public enum Shape { Random, Flat, Peaked, Ties, MinusInfinity }

    [Theory]
    [InlineData(1, 0, Shape.Random, 0)]
    [InlineData(1, 1, Shape.Random, 0)]
    [InlineData(7, 20, Shape.Random, 3)] // one-at-a-time loads; a chunk is 8 logits, so the last two chunks are empty
    [InlineData(33, 20, Shape.Random, 5)] // the last chunk holds one logit, fewer than the count
    [InlineData(8, 5, Shape.Random, 0)] // the 16-byte load path from here on, whenever vocab is a multiple of 8
    [InlineData(1000, 20, Shape.Random, 32)] // 32 chunks of 32 logits, the last of 8: fewer than the count
    [InlineData(4_104, 20, Shape.Ties, 1)] // 513 loads in one CTA: a thread has three in its first unrolled group
    [InlineData(16_392, 20, Shape.Random, 1)] // 2,049 loads: past one unrolled pass of the CTA (256 threads x 4)
    [InlineData(16_392, 20, Shape.Ties, 7)]
    [InlineData(511, 1, Shape.Random, 0)]
    [InlineData(513, 20, Shape.Ties, 0)]
    [InlineData(1000, 5, Shape.Flat, 0)]
    [InlineData(1025, 20, Shape.MinusInfinity, 0)]
    [InlineData(1025, 20, Shape.MinusInfinity, 1)]
    [InlineData(32_001, 20, Shape.Peaked, 0)]
    [InlineData(151_936, 0, Shape.Random, 0)]
    [InlineData(151_936, 1, Shape.Peaked, 0)]
    [InlineData(151_936, 20, Shape.Random, 0)]
    [InlineData(151_936, 20, Shape.Random, 1)]
    [InlineData(151_936, 20, Shape.Ties, 0)]
    [InlineData(151_936, 20, Shape.Flat, 0)]
    public void Matches_the_reference(int vocab, int k, Shape shape, int splits)
    {
        var gpu = fixture.SkipUnlessGpu();
        const int rows = 3;
        var data = new SeededData((vocab * 7) + k);
        var logits = Logits(data, rows, vocab, shape);
        int[] jobRows = [2, 0]; // out of order, row 1 skipped
        int[] jobTop = [k, Math.Max(0, k - 1)];

        var records = Run(gpu, logits, vocab, jobRows, jobTop, splits == 0 ? null : splits);

        for (var j = 0; j < jobRows.Length; j++)
        {
            var expected = LogprobReference.Measure(logits.AsSpan(jobRows[j] * vocab, vocab), jobTop[j]);
            var got = new LogprobRecord(records.AsSpan(j * LogprobKernel.RecordLength, LogprobKernel.RecordLength));
            AssertClose(expected.LogNormalizer, got.LogNormalizer);
            for (var t = 0; t < expected.TopIds.Length; t++)
            {
                Assert.Equal(expected.TopIds[t], got.TokenId(t));
                AssertClose(expected.TopLogprobs[t], got.Logprob(t));
            }
            for (var t = expected.TopIds.Length; t < LogprobKernel.MaxTop; t++)
                Assert.Equal(-1, got.TokenId(t)); // the poison: slots past the count are not written
        }
    }

    [Fact]
    public void Counts_above_the_limit_or_the_vocabulary_are_clamped()
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(11);
        var logits = data.Bf16Values(2 * 5, scale: 2.0);
        var records = Run(gpu, logits, 5, [0, 1], [25, 3]);

        var first = new LogprobRecord(records.AsSpan(0, LogprobKernel.RecordLength));
        var expected = LogprobReference.Measure(logits.AsSpan(0, 5), 5).TopIds;
        for (var t = 0; t < expected.Length; t++)
            Assert.Equal(expected[t], first.TokenId(t));
        Assert.Equal(-1, first.TokenId(5));
    }

    private int[] Run(Gpu gpu, float[] logits, int vocab, int[] jobRows, int[] jobTop, int? splits = null)
    {
        using var deviceLogits = gpu.UploadBf16(logits);
        using var deviceRows = gpu.Upload(jobRows);
        using var deviceTop = gpu.Upload(jobTop);
        using var records = gpu.Poisoned<int>(jobRows.Length * LogprobKernel.RecordLength);
        using var scratch = gpu.Poisoned<int>(LogprobKernel.ScratchLength(jobRows.Length));
        Kernel().Measure(gpu.Stream, deviceLogits, vocab, deviceRows, deviceTop, records, scratch, jobRows.Length, splits);
        return gpu.Download(records);
    }

    private static void AssertClose(double expected, float got)
    {
        if (double.IsNegativeInfinity(expected))
        {
            Assert.Equal(float.NegativeInfinity, got);
            return;
        }
        Assert.InRange(Math.Abs(got - expected), 0, 2e-5 + (1e-6 * Math.Abs(expected)));
    }

    private static float[] Logits(SeededData data, int rows, int vocab, Shape shape)
    {
        var logits = data.Bf16Values((long)rows * vocab, scale: 3.0);
        for (var r = 0; r < rows; r++)
        {
            var row = logits.AsSpan(r * vocab, vocab);
            switch (shape)
            {
                case Shape.Flat:
                    row.Fill(-1.25f);
                    break;
                case Shape.Peaked: // one token holds all but e^-80 of the mass: its log probability is about 0
                    row[data.Next(vocab)] = 90f;
                    break;
                case Shape.Ties: // a few values only, so the top 20 is decided by ids
                    for (var i = 0; i < vocab; i++)
                        row[i] = (i * 7919 % 5) - 2f;
                    break;
                case Shape.MinusInfinity: // all but 10 masked: the top 20 lists -inf tokens by lowest id
                    row.Fill(float.NegativeInfinity);
                    for (var i = 0; i < Math.Min(10, vocab); i++)
                        row[data.Next(vocab)] = Bf16.Round(data.NextGaussian());
                    row[vocab - 1] = float.NaN;
                    break;
            }
        }
        return logits;
    }
}
