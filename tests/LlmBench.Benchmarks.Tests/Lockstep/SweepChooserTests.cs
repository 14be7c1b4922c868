using LlmBench.Benchmarks.Lockstep;
using LlmBench.Reports.Sweep;

namespace LlmBench.Benchmarks.Tests.Lockstep;

public class SweepChooserTests
{
    private static SweepPoint Ok(int batch, double tokPerS, double p99Tpot, double p99Ttft, int input = 128) => new()
    {
        Backend = "llmbench", BatchSize = batch, InputLen = input, OutputLen = 128, Status = SweepPointStatus.Ok,
        OutputThroughput = tokPerS, P99TpotMs = p99Tpot, P99TtftMs = p99Ttft,
    };

    private static SweepPoint NotFit(int batch) => new()
    {
        Backend = "llmbench", BatchSize = batch, InputLen = 128, OutputLen = 128, Status = SweepPointStatus.DoesNotFit, Note = "does not fit",
    };

    private static readonly SweepPoint[] Points =
    [
        Ok(1, 100, 5.0, 10), Ok(2, 190, 5.2, 12), Ok(4, 360, 5.5, 15), Ok(8, 640, 6.2, 20), Ok(16, 1000, 8.0, 30),
        Ok(32, 1400, 11.0, 55), Ok(64, 1500, 20.0, 90), Ok(128, 1530, 40.0, 180), NotFit(256),
    ];

    [Fact]
    public void Best_IsTheHighestOutputThroughput_AndSaturation_TheSmallestBatchWithin5PercentOfIt()
    {
        var c = SweepChooser.Choose(Points, SweepSlo.None);
        Assert.Equal(128, c.Best!.BatchSize);
        // 5 % below 1530 is 1453.5: batch 64 (1500) is within, batch 32 (1400) is not.
        Assert.Equal(64, Assert.Single(c.Saturation).BatchSize);
        Assert.Null(c.SloChoice);
    }

    [Fact]
    public void SloChoice_IsTheHighestThroughputWhoseP99sMeetTheSlos()
    {
        Assert.Equal(32, SweepChooser.Choose(Points, new SweepSlo(TpotMs: 12, TtftMs: null)).SloChoice!.BatchSize);
        Assert.Equal(16, SweepChooser.Choose(Points, new SweepSlo(TpotMs: 12, TtftMs: 30)).SloChoice!.BatchSize); // 30 ms is met (≤)
        Assert.Equal(8, SweepChooser.Choose(Points, new SweepSlo(TpotMs: null, TtftMs: 29.9)).SloChoice!.BatchSize);
        Assert.Null(SweepChooser.Choose(Points, new SweepSlo(TpotMs: 1, TtftMs: null)).SloChoice);
    }

    [Fact]
    public void Saturation_IsPerLengthPair_AndPointsThatDidNotRunAreIgnored()
    {
        SweepPoint[] points = [Ok(1, 50, 1, 1, input: 512), Ok(2, 98, 1, 1, input: 512), Ok(4, 100, 1, 1, input: 512), .. Points];
        var c = SweepChooser.Choose(points, SweepSlo.None);
        Assert.Equal([(128, 64), (512, 2)], c.Saturation.Select(p => (p.InputLen, p.BatchSize)).Order());
        Assert.Null(SweepChooser.Choose([NotFit(1)], SweepSlo.None).Best);
    }
}
