using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Results;
using LlmBench.Reports.Sweep;

namespace LlmBench.Benchmarks.Tests.Lockstep;

/// <summary>`sweep --gpus`: each GPU's points combined into the saved ones, and every point started on every GPU together.</summary>
public class SweepAcrossGpusTests
{
    private static SweepPoint Measured(int batch, double tokS, double p99TpotMs, double memory) => new()
    {
        Backend = "llmbench", BatchSize = batch, InputLen = 128, OutputLen = 16, Status = SweepPointStatus.Ok,
        OutputThroughput = tokS, TotalTokenThroughput = tokS * 9, RequestsPerSecond = tokS / 16, PrefillTokensPerSecond = 5000,
        MeanTtftMs = 20, P99TtftMs = 30, MeanTpotMs = p99TpotMs - 1, P99TpotMs = p99TpotMs, DecodeStepMs = p99TpotMs - 1,
        GpuUtilizationPct = 90, GpuMemoryUsedBytes = memory, KvBlocksUsed = batch * 9, FractionOfFloor = 0.5,
    };

    [Fact]
    public void Rates_sum_means_average_p99s_and_peaks_take_the_worst_gpu_and_the_slow_gpu_is_named()
    {
        IReadOnlyList<SweepPoint>[] perGpu = [[Measured(8, 1000, 9, 4e9), Measured(16, 2000, 10, 5e9)], [Measured(8, 1000, 11, 6e9), Measured(16, 1600, 12, 5e9)]];

        var points = SweepAcrossGpus.Combine(["cuda:0 H100", "cuda:1 H100"], perGpu);

        Assert.Equal(2, points.Count);
        var slow = points[1];
        Assert.Equal((SweepPointStatus.Ok, 16), (slow.Status, slow.BatchSize));
        Assert.Equal(3600, slow.OutputThroughput);
        Assert.Equal(3600 * 9, slow.TotalTokenThroughput);
        Assert.Equal(3600.0 / 16, slow.RequestsPerSecond);
        Assert.Equal(10000, slow.PrefillTokensPerSecond);
        Assert.Equal(10, slow.MeanTpotMs); // (9 + 11) / 2
        Assert.Equal(12, slow.P99TpotMs);
        Assert.Equal(0.5, slow.FractionOfFloor);
        Assert.Equal(6e9, points[0].GpuMemoryUsedBytes);
        Assert.Equal(["cuda:0 H100", "cuda:1 H100"], slow.PerGpu!.Select(p => p.Device));
        Assert.Equal(1600, slow.PerGpu![1].OutputThroughput);
        Assert.Null(slow.Device);
        Assert.True(points[0].Agreement!.Agree);
        Assert.Equal(1, slow.Agreement!.SlowIndex); // 1600 against 2000: 11 % below their mean
    }

    [Fact]
    public void A_point_one_gpu_did_not_measure_keeps_each_gpus_entry_and_says_which_gpu()
    {
        var failed = Measured(8, 0, 0, 0) with { Status = SweepPointStatus.Failed, Note = "failed: out of memory", OutputThroughput = null };

        var point = SweepAcrossGpus.Combine(["cuda:0", "cuda:1"], [[Measured(8, 1000, 9, 4e9)], [failed]]).Single();

        Assert.Equal(SweepPointStatus.Failed, point.Status);
        Assert.Equal("cuda:1: failed: out of memory", point.Note);
        Assert.Null(point.OutputThroughput);
        Assert.Null(point.Agreement);
        Assert.Equal(2, point.PerGpu!.Count);

        var tooLong = Measured(8, 0, 0, 0) with { Status = SweepPointStatus.DoesNotFit, Note = "does not fit: 640 tokens", OutputThroughput = null };
        Assert.Equal("does not fit: 640 tokens", SweepAcrossGpus.Combine(["cuda:0", "cuda:1"], [[tooLong], [tooLong]]).Single().Note);
    }

    [Fact]
    public void A_gpu_stopped_early_drops_the_points_not_every_gpu_reached_and_mismatched_points_are_refused()
    {
        Assert.Single(SweepAcrossGpus.Combine(["cuda:0", "cuda:1"], [[Measured(8, 1, 1, 1), Measured(16, 1, 1, 1)], [Measured(8, 1, 1, 1)]]));
        Assert.Throws<ArgumentException>(() => SweepAcrossGpus.Combine(["cuda:0", "cuda:1"], [[Measured(8, 1, 1, 1)], [Measured(16, 1, 1, 1)]]));
        Assert.Throws<ArgumentException>(() => SweepAcrossGpus.Combine(["cuda:0"], [[Measured(8, 1, 1, 1)]]));
    }

    [Fact]
    public void The_gate_starts_no_point_before_every_runner_finished_the_one_before()
    {
        const int runners = 3, points = 4;
        using var gate = new SweepPointGate(runners);
        var finished = new int[runners];
        int violations = 0, refused = 0;
        var threads = Enumerable.Range(0, runners).Select(r => new Thread(() =>
        {
            for (int point = 0; point < points; point++)
            {
                if (!gate.Wait(CancellationToken.None))
                    Interlocked.Increment(ref refused);
                if (Enumerable.Range(0, runners).Any(other => Volatile.Read(ref finished[other]) < point))
                    Interlocked.Increment(ref violations);
                Thread.Sleep(r * 5); // runner 2 is the slow one
                Volatile.Write(ref finished[r], point + 1);
            }

            gate.Leave();
        })).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();

        Assert.Equal((0, 0), (violations, refused));
        Assert.All(finished, f => Assert.Equal(points, f));
    }

    [Fact]
    public void A_runner_that_leaves_is_not_waited_for_and_a_cancelled_wait_says_so()
    {
        using var gate = new SweepPointGate(2);
        gate.Leave(); // the other runner stopped
        Assert.True(gate.Wait(CancellationToken.None));

        using var two = new SweepPointGate(2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.False(two.Wait(cancel.Token));
    }
}
