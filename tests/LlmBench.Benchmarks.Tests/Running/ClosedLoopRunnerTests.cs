using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Tests.Running;

public class ClosedLoopRunnerTests
{
    private static readonly ClosedLoopOptions Options = new()
    {
        Concurrency = 4,
        WarmupSeconds = 0.5,
        DurationSeconds = 2.0,
        StabilityWindowSeconds = 0.5,
    };

    // Binary-exact times (1/128 s per step, 64 steps per 0.5 s slice) so slice boundaries fall exactly on step ends.
    private const double Step = 1.0 / 128;

    private static Func<WorkloadRequest> Requests(int outputTokens) => () => new WorkloadRequest([1, 2, 3], outputTokens);

    [Fact]
    public void SteadyEngine_ScoresTokensPerSecondOfWindow_AndIsValid()
    {
        // 4 in flight, one token per request per step: 512 tok/s, whatever finishes and is replaced.
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, _ => Step, maxRunning: 4);
        var m = new ClosedLoopRunner(engine, clock, Options).Run(Requests(20), CancellationToken.None);
        var result = RunEngineResults.From(m, Options, "fake", health: null);

        Assert.Equal(0.5, m.WarmupSeconds);
        Assert.Equal(2.0, m.WindowSeconds);
        Assert.Equal(512, result.OutputTokensPerSecond, 9);
        Assert.Equal(4, result.Windows.Count);
        Assert.All(result.Windows, w => Assert.Equal(256, w.OutputTokens));
        Assert.True(result.Verdict.Valid, string.Join("; ", result.Verdict.Reasons));
        // A 20-token request lasts 20 steps: TTFT one step, TPOT one step, 4 × 128 / 20 = 25.6 completions per second.
        Assert.Equal(Step * 1000, result.Latency.TtftMs.Median, 9);
        Assert.Equal(Step * 1000, result.Latency.TpotMs.Mean, 9);
        Assert.InRange(result.GenerationsPerSecond, 24.5, 26.5);
        Assert.False(result.Incomplete);
    }

    [Fact]
    public void WarmupTokens_AreNotCounted()
    {
        // Steps are 8× faster during the warm-up: counting it would lift the score far above 512.
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, now => now < 0.5 ? Step / 8 : Step, maxRunning: 4);
        var result = RunEngineResults.From(new ClosedLoopRunner(engine, clock, Options).Run(Requests(20), CancellationToken.None), Options, "fake", null);
        Assert.Equal(512, result.OutputTokensPerSecond, 9);
    }

    [Fact]
    public void AnEngineThatSlowsDown_FailsTheStabilityCheck()
    {
        // After 1.5 s steps take twice as long: the last two slices run at 256 tok/s against 512 before.
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, now => now < 1.5 ? Step : 2 * Step, maxRunning: 4);
        var result = RunEngineResults.From(new ClosedLoopRunner(engine, clock, Options).Run(Requests(20), CancellationToken.None), Options, "fake", null);

        Assert.False(result.Verdict.Valid);
        Assert.Equal([512.0, 512.0, 256.0, 256.0], result.Windows.Select(w => w.OutputTokensPerSecond));
        Assert.Equal(4, result.Verdict.Reasons.Count(r => r.Contains("from the mean", StringComparison.Ordinal)));
    }

    [Fact]
    public void AWindowShorterThanTwoSlices_CannotBeJudgedValid()
    {
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, _ => Step, maxRunning: 4);
        var options = Options with { DurationSeconds = 0.7 };
        var result = RunEngineResults.From(new ClosedLoopRunner(engine, clock, options).Run(Requests(20), CancellationToken.None), options, "fake", null);
        Assert.False(result.Verdict.Valid);
        Assert.Single(result.Windows);
        Assert.Contains(result.Verdict.Reasons, r => r.Contains("fewer than two", StringComparison.Ordinal));
    }

    [Fact]
    public void CtrlC_StopsAndKeepsWhatWasMeasured_MarkedIncomplete()
    {
        var clock = new ManualClock();
        using var cancel = new CancellationTokenSource();
        // Step 128 ends at 1.0 s: 0.5 s into the window.
        var engine = new ScriptedEngine(clock, _ => Step, maxRunning: 4) { OnStep = step => { if (step == 128) cancel.Cancel(); } };
        var m = new ClosedLoopRunner(engine, clock, Options).Run(Requests(20), cancel.Token);
        var result = RunEngineResults.From(m, Options, "fake", null);

        Assert.True(m.Cancelled);
        Assert.True(result.Incomplete);
        Assert.False(result.Verdict.Valid);
        Assert.Contains(result.Verdict.Reasons, r => r.Contains("Ctrl-C", StringComparison.Ordinal));
        Assert.Equal(0.5, m.WindowSeconds);
        Assert.Equal(512, result.OutputTokensPerSecond, 9);
    }

    [Fact]
    public void AnEngineError_EndsTheRun_WithTheMessageAndTheWindowSoFar()
    {
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, _ => Step, maxRunning: 4)
        {
            OnStep = step => { if (step == 154) throw new InvalidOperationException("cuLaunchKernel failed: CUDA_ERROR_ILLEGAL_ADDRESS"); },
        };
        var result = RunEngineResults.From(new ClosedLoopRunner(engine, clock, Options).Run(Requests(20), CancellationToken.None), Options, "fake", null);

        Assert.True(result.Incomplete);
        Assert.Contains("CUDA_ERROR_ILLEGAL_ADDRESS", result.Error, StringComparison.Ordinal);
        Assert.Contains(result.Verdict.Reasons, r => r.Contains("the engine failed", StringComparison.Ordinal));
        Assert.Equal((153 * Step) - 0.5, result.WindowSeconds); // steps 1..153 completed
        Assert.True(result.OutputTokens > 0);
    }

    [Fact]
    public void LiveStatus_ReportsTheRecentRate()
    {
        var clock = new ManualClock();
        var engine = new ScriptedEngine(clock, _ => Step, maxRunning: 4);
        var runner = new ClosedLoopRunner(engine, clock, Options);
        runner.Run(Requests(20), CancellationToken.None);
        var status = runner.Status;
        Assert.False(status.WarmingUp);
        Assert.Equal(512, status.RecentOutputTokensPerSecond, 9);
        Assert.Equal(512, status.AverageOutputTokensPerSecond, 9);
        Assert.Equal(1024, status.WindowOutputTokens);
        Assert.Equal(0, status.RemainingSeconds);
    }
}
