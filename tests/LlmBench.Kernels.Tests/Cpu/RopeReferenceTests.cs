using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.Cpu;

public class RopeReferenceTests
{
    private static readonly float[] Frequencies = RopeReference.InverseFrequencies(64, 10_000);

    private static double[] Rotated(float[] x, int position)
    {
        var head = x.Select(v => (double)v).ToArray();
        RopeReference.Rotate(head, position, Frequencies, RopeReference.Exact);
        return head;
    }

    [Fact]
    public void InverseFrequencies_FallFromOneToThetaToTheMinusOne()
    {
        Assert.Equal(1f, Frequencies[0]);
        Assert.Equal(Math.Pow(10_000, -62.0 / 64), Frequencies[^1], 1e-9);
        Assert.True(Frequencies.Zip(Frequencies.Skip(1), (a, b) => a > b).All(x => x));
    }

    [Fact]
    public void PositionZero_IsTheIdentity_AndEveryPositionKeepsEachPairsLength()
    {
        var x = new SeededData(1).Bf16Values(64);
        Assert.Equal(x.Select(v => (double)v), Rotated(x, 0));
        var y = Rotated(x, 12_345);
        for (var i = 0; i < 32; i++)
            Assert.Equal(Math.Sqrt((double)x[i] * x[i] + (double)x[i + 32] * x[i + 32]), Math.Sqrt(y[i] * y[i] + y[i + 32] * y[i + 32]), 9);
    }

    [Fact]
    public void TheScoreOfTwoRotatedVectors_DependsOnlyOnTheirDistance()
    {
        var data = new SeededData(2);
        var q = data.Bf16Values(64);
        var k = data.Bf16Values(64);
        var near = Rotated(q, 107).Zip(Rotated(k, 100), (a, b) => a * b).Sum();
        var far = Rotated(q, 1007).Zip(Rotated(k, 1000), (a, b) => a * b).Sum();
        Assert.Equal(near, far, 1e-3); // fp32 angles (as HF) blur the identity to a few 1e-5 relative
        var other = Rotated(q, 108).Zip(Rotated(k, 100), (a, b) => a * b).Sum();
        Assert.NotEqual(near, other, 2);
    }

    [Fact]
    public void TheLowerHalf_RotatesAgainstTheUpperHalf_InHfsRotateHalfConvention()
    {
        var x = new float[64];
        x[0] = 1f; // only element 0 set: position p moves it to (cos θ, …, sin θ at element 32)
        var y = Rotated(x, 3);
        Assert.Equal(Math.Cos(3.0), y[0], 6);
        Assert.Equal(Math.Sin(3.0), y[32], 6);
        Assert.Equal(0.0, y[1]);
    }
}
