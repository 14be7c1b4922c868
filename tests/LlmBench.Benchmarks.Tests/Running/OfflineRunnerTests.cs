using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Tests.Running;

public class OfflineRunnerTests
{
    private static WorkloadRequest Request(int prompt, int output) => new(Enumerable.Range(1, prompt).ToArray(), output);

    [Fact]
    public void QueuedRequests_GetTtftFromTheirWait_AndTpotFromTheStepTime()
    {
        // Two run at once, 10 ms per step, 5 tokens each: requests 0 and 1 finish at 50 ms, 2 and 3 start then.
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, _ => 0.010, maxRunning: 2);
        var m = new OfflineRunner(engine, clock).Run([Request(3, 5), Request(4, 5), Request(5, 5), Request(6, 5)], 1.0f, 0, CancellationToken.None);

        Assert.Equal(0.100, m.ElapsedSeconds, 9);
        Assert.Equal(4, m.Completed);
        Assert.Equal(20, m.OutputTokens);
        Assert.Equal(18, m.PromptTokens);
        Assert.Equal([10, 10, 60, 60], m.Outcomes.OrderBy(o => o.Id).Select(o => Math.Round(o.TtftMs!.Value, 6)));
        Assert.Equal([50, 50, 100, 100], m.Outcomes.OrderBy(o => o.Id).Select(o => Math.Round(o.E2elMs!.Value, 6)));
        var latency = m.Latency;
        Assert.Equal(35, latency.TtftMs.Median, 6);
        Assert.Equal(35, latency.TtftMs.Mean, 6);
        Assert.Equal(60, latency.TtftMs.ValueAt(99), 6);
        Assert.Equal(10, latency.TpotMs.Mean, 6);
        Assert.Equal(75, latency.E2elMs.Mean, 6);
        Assert.Equal(2, m.Activity.MaxRunningRequests);
        Assert.Equal(1.0, m.Activity.PeakKvCacheUsage, 9);
        Assert.Equal(10, m.Activity.Steps);
    }

    [Fact]
    public void SingleTokenRequests_HaveNoTpot()
    {
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, _ => 0.004, maxRunning: 8);
        var m = new OfflineRunner(engine, clock).Run([Request(2, 1), Request(2, 3)], 1.0f, 0, CancellationToken.None);
        Assert.Equal(1, m.Latency.TpotMs.Count);
        Assert.Equal(4, m.Latency.TpotMs.Mean, 6);
        Assert.Equal(2, m.Latency.TtftMs.Count);
    }

    [Fact]
    public void Cancelling_AbortsWhatIsLeft_AndMarksTheRunIncomplete()
    {
        var clock = new ManualClock();
        using var cancel = new CancellationTokenSource();
        var engine = new ScriptedEngine(clock, _ => 0.010, maxRunning: 1) { OnStep = step => { if (step == 3) cancel.Cancel(); } };
        var m = new OfflineRunner(engine, clock).Run([Request(2, 2), Request(2, 50), Request(2, 50)], 1.0f, 0, cancel.Token);

        Assert.True(m.Incomplete);
        Assert.Equal(1, m.Completed);
        Assert.Equal(1, m.Latency.E2elMs.Count); // aborted requests are left out of the latencies
        Assert.Equal(0.020, m.ElapsedSeconds, 9);
        Assert.False(engine.HasUnfinishedRequests);
    }
}
