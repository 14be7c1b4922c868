using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;

namespace LlmBench.Engine.Tests.Sampling;

public class LogprobCalculatorTests
{
    /// <summary>log_softmax in double, written out the textbook way, as the reference.</summary>
    internal static double[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var v in logits)
            max = Math.Max(max, v);
        double sum = 0;
        foreach (var v in logits)
            sum += Math.Exp(v - max);
        var result = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
            result[i] = logits[i] - max - Math.Log(sum);
        return result;
    }

    [Fact]
    public void Logprobs_are_log_softmax_with_the_top_tokens_best_first()
    {
        float[] logits = [0.5f, 3f, -1f, 3f, 2.25f, -40f, 1f];
        var reference = LogSoftmax(logits);
        var row = new LogprobCalculator(logits.Length).Measure(logits, 3);

        // Ties (ids 1 and 3) go to the lower id first, as the sampler orders them.
        Assert.Equal([1, 3, 4], row.Top.Select(t => t.TokenId));
        foreach (var top in row.Top)
            Assert.Equal(reference[top.TokenId], top.Logprob, 1e-6);
        Assert.Equal(reference[5], row.For(logits[5]).Logprob, 1e-5);
        Assert.Equal(1.0, reference.Sum(Math.Exp), 1e-9);
    }

    /// <summary>
    /// A Qwen3-sized row (151,936 logits, flat as a random model's are, bf16 values): the normalizer, a float sum
    /// over the whole vocabulary, stays within 1e-5 of the double-precision reference.
    /// </summary>
    [Fact]
    public void A_full_vocabulary_row_matches_the_double_reference_to_1e_5()
    {
        var random = new Random(3);
        var logits = new float[151_936];
        for (int i = 0; i < logits.Length; i++)
            logits[i] = (float)(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((float)(random.NextDouble() * 4 - 2)) & unchecked((int)0xFFFF0000)));
        var reference = LogSoftmax(logits);
        var row = new LogprobCalculator(logits.Length).Measure(logits, 20);

        foreach (var top in row.Top)
            Assert.Equal(reference[top.TokenId], top.Logprob, 1e-5);
        Assert.Equal(reference[77], row.For(logits[77]).Logprob, 1e-5);
    }

    [Fact]
    public void Zero_alternatives_give_the_sampled_token_alone_and_large_logits_do_not_overflow()
    {
        float[] logits = [1000f, 999f, 998f];
        var row = new LogprobCalculator(3).Measure(logits, 0);
        Assert.Empty(row.Top);
        var reference = LogSoftmax(logits);
        Assert.Equal(reference[1], row.For(logits[1]).Logprob, 1e-5);
        Assert.True(float.IsFinite(row.For(logits[0]).Logprob));
    }

    [Fact]
    public void A_request_may_ask_for_at_most_twenty()
    {
        Assert.Throws<ArgumentException>(() => new SamplingParams { Logprobs = SamplingParams.MaxLogprobs + 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new SamplingParams { Logprobs = -1 }.Validate());
        new SamplingParams { Logprobs = SamplingParams.MaxLogprobs }.Validate();
    }
}
