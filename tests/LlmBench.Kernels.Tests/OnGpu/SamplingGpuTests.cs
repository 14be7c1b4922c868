using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class SamplingGpuTests(GpuFixture fixture)
{
    private const double SafeMargin = 1e-4;

    private SamplingKernel Kernel() => fixture.Family("bf16", c => new SamplingKernel(c));

    private SamplingKernel SplitKernel() => fixture.Family("bf16-split", c => new SamplingKernel(c, split: true));

    [Fact]
    public void Philox_MatchesTheCpuReference_AndTheKnownAnswer()
    {
        var gpu = fixture.SkipUnlessGpu();
        const int n = 1000;
        var data = new SeededData(5);
        var counters = Enumerable.Range(0, 4 * n).Select(i => i < 4 ? 0u : (uint)data.NextUInt64()).ToArray();
        var keys = Enumerable.Range(0, n).Select(i => i == 0 ? 0ul : data.NextUInt64()).ToArray();
        using var deviceCounters = gpu.Upload(counters);
        using var deviceKeys = gpu.Upload(keys);
        using var output = gpu.Poisoned<uint>(4 * n);

        Kernel().Philox(gpu.Stream, deviceCounters, deviceKeys, output, n);

        var got = gpu.Download(output);
        Assert.Equal(0x6627e8d5u, got[0]);
        for (var i = 0; i < n; i++)
        {
            var expected = Philox.Generate((counters[4 * i], counters[4 * i + 1], counters[4 * i + 2], counters[4 * i + 3]), keys[i]);
            Assert.Equal(expected, (got[4 * i], got[4 * i + 1], got[4 * i + 2], got[4 * i + 3]));
        }
    }

    [Theory]
    [InlineData(1, 151_936)]
    [InlineData(256, 32_000)]
    public void Greedy_IsArgmax_LowestIndexOnTies_NaNIgnored(int rows, int vocab)
    {
        var gpu = fixture.SkipUnlessGpu();
        var data = new SeededData(rows);
        var logits = data.Bf16Values((long)rows * vocab, scale: 4.0);
        logits[100] = logits[vocab - 5] = 30f; // row 0: a tie far apart
        logits[vocab - 1] = float.NaN;
        if (rows > 3)
        {
            logits[vocab + 7] = float.NaN;
            logits[2 * vocab + vocab - 1] = 40f; // the last token wins
            Array.Fill(logits, 1.5f, 3 * vocab, vocab); // all equal: token 0
        }
        var run = SamplingRun.Uniform(logits, vocab, 0f, 0, 1f, data);

        var tokens = run.Sample(gpu, Kernel());

        Assert.Equal(Enumerable.Range(0, rows).Select(r => SamplingReference.Greedy(run.Row(r))), tokens);
        Assert.Equal(100, tokens[0]);
    }

    [Theory]
    [InlineData(0.7f, 0, 1f)]
    [InlineData(1.0f, 50, 1f)]
    [InlineData(0.6f, 0, 0.9f)]
    [InlineData(1.3f, 20, 0.8f)]
    [InlineData(1.0f, 1, 1f)]       // top-1: greedy by another road
    [InlineData(0.8f, 31_999, 0.5f)]
    public void Temperature_DrawsTheGumbelMaxTokenOfTheReference_InsideTheMask(float temperature, int topK, float topP)
    {
        var gpu = fixture.SkipUnlessGpu();
        const int rows = 64, vocab = 32_000;
        var data = new SeededData(topK * 10 + (int)(temperature * 100));
        var run = SamplingRun.Uniform(data.Bf16Values((long)rows * vocab, scale: 3.0), vocab, temperature, topK, topP, data, step: 11);

        var tokens = run.Sample(gpu, Kernel());

        var compared = 0;
        for (var r = 0; r < rows; r++)
        {
            var mask = SamplingMask.Create(run.Row(r), temperature, topK, topP);
            if (mask.TopPMargin < SafeMargin)
                continue; // p sits on a cumulative sum: fp32 on the GPU may take the neighbouring threshold
            Assert.True(mask.Allowed[tokens[r]], $"row {r}: token {tokens[r]} is outside the top-k/top-p mask ({mask.Count} allowed)");
            var (token, margin) = SamplingReference.GumbelMax(run.Row(r), temperature, mask.Allowed, run.Seeds[r], run.Steps[r]);
            if (margin < SafeMargin)
                continue;
            Assert.Equal(token, tokens[r]);
            compared++;
        }
        Assert.True(compared >= rows * 9 / 10, $"only {compared} of {rows} rows were clear enough to compare");
    }

    [Theory]
    [InlineData(0f, 0, 1f)]
    [InlineData(0.8f, 0, 1f)]
    [InlineData(1.0f, 50, 0.9f)]
    public void SampledLogits_AreTheLogitsOfTheSampledTokens(float temperature, int topK, float topP)
    {
        var gpu = fixture.SkipUnlessGpu();
        const int rows = 9, vocab = 4_100;
        var data = new SeededData(rows + topK);
        var logits = data.Bf16Values(rows * vocab, scale: 2.0);
        logits[vocab + 3] = float.NaN;
        var run = SamplingRun.Uniform(logits, vocab, temperature, topK, topP, data);

        var (tokens, sampledLogits) = run.SampleWithLogits(gpu, Kernel());

        Assert.Equal(tokens, run.Sample(gpu, Kernel())); // asking for the logits changes no draw
        Assert.Equal(Enumerable.Range(0, rows).Select(r => run.Row(r)[tokens[r]]), sampledLogits);
    }

    [Theory]
    [InlineData(1, 32)]
    [InlineData(3, 7)]
    [InlineData(12, 1)]
    [InlineData(12, 5)]
    public void SplitRows_DrawTheSameTokensAndLogitsAsOneCtaPerRow(int rowGroups, int chunks)
    {
        // Rows of every kind in one launch: greedy (with a NaN, ties, an all -inf row), temperature alone, top-k,
        // top-p and both (those are sampled whole by chunk 0), over Qwen3's vocabulary.
        var gpu = fixture.SkipUnlessGpu();
        const int vocab = 151_936;
        int rows = 6 * rowGroups;
        var data = new SeededData(rows * 31 + chunks);
        var logits = data.Bf16Values((long)rows * vocab, scale: 3.0);
        logits[17] = float.NaN;
        logits[100] = logits[vocab - 1] = 40f; // a tie for greedy row 0: the lower index wins
        Array.Fill(logits, float.NegativeInfinity, vocab, vocab); // row 1: nothing but -inf
        float[] temperature = [.. Enumerable.Range(0, rows).Select(r => (r % 6) switch { 0 or 1 => 0f, 2 => 0.7f, _ => 1.0f })];
        int[] topK = [.. Enumerable.Range(0, rows).Select(r => r % 6 is 3 or 5 ? 40 : 0)];
        float[] topP = [.. Enumerable.Range(0, rows).Select(r => r % 6 is 4 or 5 ? 0.9f : 1f)];
        var run = new SamplingRun(logits, vocab, temperature, topK, topP, [.. Enumerable.Range(0, rows).Select(_ => data.NextUInt64())],
            [.. Enumerable.Range(0, rows).Select(r => r + 1)]);

        var whole = run.SampleWithLogits(gpu, Kernel());
        var split = run.SampleWithLogits(gpu, SplitKernel(), chunks);

        Assert.Equal(whole.Tokens, split.Tokens);
        Assert.Equal(whole.Logits, split.Logits);
        Assert.Equal(100, split.Tokens[0]);
        Assert.Equal(0, split.Tokens[1]);
    }

    [Fact]
    public void TheSameSeedAndStep_DrawTheSameToken_WhateverTheBatchAround()
    {
        var gpu = fixture.SkipUnlessGpu();
        const int vocab = 151_936;
        var data = new SeededData(16);
        var first = SamplingRun.Uniform(data.Bf16Values(16L * vocab, scale: 3.0), vocab, 0.9f, 40, 0.95f, data);
        var order = data.Permutation(16);
        var extra = data.Bf16Values(5L * vocab, scale: 3.0);
        float[] logits = [.. order.SelectMany(r => first.Row(r).ToArray()), .. extra];
        var second = SamplingRun.Uniform(logits, vocab, 0.9f, 40, 0.95f, data) with
        {
            Seeds = [.. order.Select(r => first.Seeds[r]), .. Enumerable.Range(0, 5).Select(_ => data.NextUInt64())],
        };

        var alone = first.Sample(gpu, Kernel());
        var shuffled = second.Sample(gpu, Kernel());

        Assert.Equal(order.Select(r => alone[r]), shuffled[..16]);
    }

    [Theory]
    [InlineData(0.7f, 0, 1f)]
    [InlineData(1.0f, 10, 1f)]
    [InlineData(0.8f, 0, 0.9f)]
    [InlineData(1.3f, 20, 0.8f)]
    [InlineData(1.0f, 5, 0.5f)]
    public void Frequencies_FollowSoftmaxOverTheMask(float temperature, int topK, float topP)
    {
        var gpu = fixture.SkipUnlessGpu();
        const int vocab = 64, rows = 1 << 15;
        var data = new SeededData(topK + 1000);
        var row = data.Bf16Values(vocab, scale: 1.5);
        var logits = Enumerable.Range(0, rows).SelectMany(_ => row).ToArray();
        var run = SamplingRun.Uniform(logits, vocab, temperature, topK, topP, data);

        var tokens = run.Sample(gpu, Kernel());

        var mask = SamplingMask.Create(row, temperature, topK, topP);
        var expected = SamplingReference.Probabilities(row, temperature, mask.Allowed);
        var (chiSquared, degrees, outside) = FrequencyTest.ChiSquared(tokens, expected);
        var z = (chiSquared - degrees) / Math.Sqrt(2.0 * Math.Max(1, degrees));
        ErrorLog.Record($"sample_tokens T={temperature} k={topK} p={topP} n={rows}: chi2 {chiSquared:F1}/{degrees} (z {z:+0.0;-0.0}), {outside} outside");
        Assert.Equal(0, outside);
        Assert.True(z < 5, $"χ² = {chiSquared:F1} over {degrees} degrees of freedom (z = {z:F1}): draws do not follow softmax(logits / T)");
    }
}
