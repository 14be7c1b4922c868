using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine.Tests.Sampling;

public class StopTests
{
    private const int Eos = 99;
    private static readonly StopChecker Checker = new([Eos]);

    private static FinishReason? After(SamplingParams sampling, int maxModelLen, params int[] outputs)
    {
        var sequence = new Sequence("r", [1, 2, 3], sampling, 0, maxModelLen);
        sequence.NumComputedTokens = 3;
        FinishReason? reason = null;
        foreach (int token in outputs)
        {
            sequence.AppendOutput(token);
            sequence.NumComputedTokens = sequence.NumTokens;
            reason = Checker.Check(sequence);
        }
        return reason;
    }

    [Fact]
    public void Eos_Stops_UnlessIgnored()
    {
        Assert.Equal(FinishReason.Stop, After(SamplingParams.Greedy(10), 100, 5, Eos));
        Assert.Null(After(SamplingParams.Greedy(10, ignoreEos: true), 100, 5, Eos));
        Assert.Null(After(SamplingParams.Greedy(10), 100, 5, 6));
    }

    [Fact]
    public void StopTokenIds_Stop_EvenWithIgnoreEos()
    {
        var sampling = SamplingParams.Greedy(10, ignoreEos: true) with { StopTokenIds = [42] };
        Assert.Equal(FinishReason.Stop, After(sampling, 100, 5, 42));
    }

    [Fact]
    public void MaxTokensAndModelLength_EndWithLength()
    {
        Assert.Equal(FinishReason.Length, After(SamplingParams.Greedy(3), 100, 5, 6, 7));
        Assert.Null(After(SamplingParams.Greedy(3), 100, 5, 6));
        Assert.Equal(FinishReason.Length, After(SamplingParams.Greedy(50), 6, 5, 6, 7)); // 3 prompt + 3 outputs
        Assert.Equal(FinishReason.Stop, After(SamplingParams.Greedy(2), 100, 5, Eos)); // EOS on the last token is a stop
    }

    [Fact]
    public void MinTokens_SuppressesStops_AndBansTheirIds()
    {
        var sampling = SamplingParams.Greedy(10) with { MinTokens = 3, StopTokenIds = [42] };
        Assert.Null(After(sampling, 100, Eos, 42));
        Assert.Equal(FinishReason.Stop, After(sampling, 100, 1, 2, Eos));
        Assert.Equal([42, Eos], Checker.StopIdsFor(sampling));
        Assert.Equal([42], Checker.StopIdsFor(sampling with { IgnoreEos = true }));
        Assert.Empty(Checker.StopIdsFor(sampling with { MinTokens = 0 }));
    }
}
