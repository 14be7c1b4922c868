using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Reports.Sweep;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>What a sweep ran on: one engine, opened once, and what is known about it.</summary>
/// <param name="Gpu">Its GPU; null on the CPU.</param>
/// <param name="Telemetry">GPUs sampled over the whole sweep (each point reads its own part); null on the CPU or without NVML.</param>
/// <param name="Backend">"llmbench", or "llmbench-eager" with --enforce-eager.</param>
public sealed record SweepTarget(IInferenceEngine Engine, EngineUnderTest Description, GpuIdentity? Gpu, GpuTelemetryWindow? Telemetry, string Backend);

/// <summary>
/// Runs a sweep's grid on one engine: per point a fit check, one short uncounted batch, then the lockstep batch that is
/// measured. A point that does not fit or fails is recorded as such and the sweep goes on; Ctrl-C ends it with the
/// points measured so far (the one it interrupted is dropped).
/// </summary>
public sealed class SweepRunner(SweepTarget target, IBenchmarkClock clock)
{
    /// <summary>Output tokens of each point's warm-up batch.</summary>
    public const int WarmupOutputTokens = 2;

    private int _done;

    /// <summary>Points finished so far (any status), for a progress bar on another thread.</summary>
    public int Done => Volatile.Read(ref _done);

    /// <summary>Called on the engine's thread after each point.</summary>
    public Action<SweepPoint>? PointDone { get; init; }

    public (IReadOnlyList<SweepPoint> Points, bool Incomplete) Run(IReadOnlyList<SweepShape> grid, ulong seed, CancellationToken cancellationToken)
    {
        var engine = target.Engine;
        int? kvBlocks = (engine as LlmEngine)?.Options.NumKvBlocks;
        var batch = new LockstepBatch(engine, target.Description.Model.Config.VocabSize, clock);
        var points = new List<SweepPoint>();
        string? brokenBy = null;
        foreach (var shape in grid)
        {
            if (cancellationToken.IsCancellationRequested)
                return (points, true);
            SweepPoint point;
            if (brokenBy is not null)
            {
                point = Empty(shape, SweepPointStatus.NotRun, $"not run: {brokenBy}");
            }
            else if (SweepGrid.DoesNotFit(shape, engine) is { } why)
            {
                point = Empty(shape, SweepPointStatus.DoesNotFit, why);
            }
            else
            {
                try
                {
                    var warmup = batch.Requests(shape.BatchSize, shape.InputLen, Math.Min(shape.OutputLen, WarmupOutputTokens), seed ^ 0x5EED);
                    if (batch.Run(warmup, seed, cancellationToken).Offline.Incomplete)
                        return (points, true);
                    var startUtc = DateTimeOffset.UtcNow;
                    var m = batch.Run(batch.Requests(shape.BatchSize, shape.InputLen, shape.OutputLen, seed), seed, cancellationToken);
                    if (m.Offline.Incomplete)
                        return (points, true);
                    point = Measured(shape, m, kvBlocks, startUtc, DateTimeOffset.UtcNow);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    point = Empty(shape, SweepPointStatus.Failed, $"failed: {ex.Message}");
                    if (!Drain(engine, shape.BatchSize))
                        brokenBy = $"the engine failed at batch {shape.BatchSize}, input {shape.InputLen}, output {shape.OutputLen}";
                }
            }

            points.Add(point);
            Interlocked.Increment(ref _done);
            PointDone?.Invoke(point);
        }

        return (points, false);
    }

    private SweepPoint Measured(SweepShape shape, LockstepMeasurement m, int? kvBlocks, DateTimeOffset startUtc, DateTimeOffset endUtc)
    {
        var o = m.Offline;
        var latency = o.Latency;
        var gpu = target.Gpu?.NvmlIndex is { } index ? target.Telemetry?.Summary(startUtc, endUtc).Gpus.FirstOrDefault(g => g.GpuIndex == index) : null;
        var floor = ThroughputResults.OfflineFloor(target.Description.Model.Config, target.Gpu, m.Requests, o.OutputTokens, o.ElapsedSeconds).Floor;
        double elapsed = o.ElapsedSeconds;
        return Empty(shape, SweepPointStatus.Ok, null) with
        {
            OutputThroughput = elapsed > 0 ? o.OutputTokens / elapsed : 0,
            TotalTokenThroughput = elapsed > 0 ? (o.OutputTokens + o.PromptTokens) / elapsed : 0,
            RequestsPerSecond = elapsed > 0 ? o.Completed / elapsed : 0,
            MeanTtftMs = latency.TtftMs.Mean,
            P99TtftMs = latency.TtftMs.ValueAt(99),
            MeanTpotMs = latency.TpotMs.Mean,
            P99TpotMs = latency.TpotMs.ValueAt(99),
            PrefillTokensPerSecond = m.PrefillTokensPerSecond,
            DecodeStepMs = m.DecodeStepMs,
            GpuUtilizationPct = gpu?.GpuUtilizationPercent?.Mean,
            GpuMemoryUsedBytes = gpu?.MemoryUsedBytes?.Max,
            KvBlocksUsed = kvBlocks is { } blocks ? (int)Math.Round(o.Activity.PeakKvCacheUsage * blocks) : null,
            FractionOfFloor = floor?.FractionOfFloor,
        };
    }

    private SweepPoint Empty(SweepShape shape, SweepPointStatus status, string? note) => new()
    {
        Backend = target.Backend,
        BatchSize = shape.BatchSize,
        InputLen = shape.InputLen,
        OutputLen = shape.OutputLen,
        Status = status,
        Note = note,
    };

    /// <summary>Aborts what a failed point left behind ("req-0" … as the runner names them) and steps until the engine is idle; false when it cannot be.</summary>
    private static bool Drain(IInferenceEngine engine, int batch)
    {
        try
        {
            for (int i = 0; i < batch; i++)
                engine.Abort($"req-{i}");
            for (int steps = 0; engine.HasUnfinishedRequests; steps++)
            {
                if (steps > 10_000)
                    return false;
                engine.Step();
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }
}
