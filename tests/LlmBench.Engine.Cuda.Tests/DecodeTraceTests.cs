using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Gpu.Tracing;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>How CUPTI's kernels become per-step figures (pure arithmetic: no GPU).</summary>
public sealed class DecodeTraceTests
{
    private static KernelActivity K(string name, ulong start, ulong end) => new(name, start, end, 1, 0);

    [Fact]
    public void KernelsAreSplitIntoStepsByTheHostMarks_AndAveraged()
    {
        // Step 1 (mark at 1,000 ns): a for 2 µs, then b for 4 µs → span 6 µs, all of it busy.
        // Step 2 (mark at 20,000 ns): the same two kernels again, starting 500 ns after the mark.
        KernelActivity[] kernels =
        [
            K("a", 1_000, 3_000), K("b", 3_000, 7_000),
            K("a", 20_500, 22_500), K("b", 22_500, 26_500),
            K("late", 50_000, 51_000), // after the end mark: in no step
            K("early", 500, 900), // before the first mark: in no step
        ];
        var trace = DecodeTrace.Of(kernels, [1_000, 20_000], end: 40_000);

        Assert.Equal(2, trace.Steps);
        Assert.Equal(2, trace.LaunchesPerStep);
        Assert.Equal(6.0, trace.SpanMicroseconds, 9);
        Assert.Equal(6.0, trace.BusyMicroseconds, 9);
        Assert.Equal(0, trace.IdleShare, 9);
        Assert.Equal(["b", "a"], trace.Kernels.Select(k => k.Name));
        Assert.Equal(new TracedKernel("b", 1, 4, 4.0 / 6), trace.Kernels[0]);
        Assert.Equal(new TracedKernel("a", 1, 2, 2.0 / 6), trace.Kernels[1]);
    }

    [Fact]
    public void GapsCountAsIdle_AndOverlapsCountOnce()
    {
        // One step: x 0–4 µs, y 3–5 µs (overlaps x by 1 µs under programmatic launch), z 8–10 µs after a 3 µs gap.
        var trace = DecodeTrace.Of([K("x", 10_000, 14_000), K("y", 13_000, 15_000), K("z", 18_000, 20_000)], [10_000], end: 30_000);

        Assert.Equal(10.0, trace.SpanMicroseconds, 9);
        Assert.Equal(7.0, trace.BusyMicroseconds, 9); // 10 − 3 µs of gap; the 1 µs overlap is not counted twice
        Assert.Equal(0.3, trace.IdleShare, 9);
        Assert.Equal(8.0 / 8.0, trace.Kernels.Sum(k => k.Share), 9);
        Assert.Equal(3, trace.LaunchesPerStep);
    }

    [Fact]
    public void StepsWithoutKernelsAreLeftOut_AndNoKernelsGiveAnEmptyTrace()
    {
        var trace = DecodeTrace.Of([K("a", 5_000, 6_000)], [1_000, 2_000, 4_000], end: 10_000, dropped: 3);
        Assert.Equal(1, trace.Steps);
        Assert.Equal(3, trace.Dropped);

        var empty = DecodeTrace.Of([], [1_000], end: 2_000);
        Assert.Equal(0, empty.Steps);
        Assert.Empty(empty.Kernels);
        Assert.Equal(0, empty.IdleShare);
        Assert.Throws<ArgumentException>(() => DecodeTrace.Of([], [], end: 1));
    }
}
