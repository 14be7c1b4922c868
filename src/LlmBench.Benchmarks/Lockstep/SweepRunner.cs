using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Sweep;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>What one backend's part of a sweep ran on: the backend, opened once, and what is known about it.</summary>
/// <param name="Description">The model and device, for the result and the floor.</param>
/// <param name="Gpu">Its GPU; null on the CPU or where the GPU is not known.</param>
/// <param name="Telemetry">GPUs sampled over the whole sweep (each point reads its own part); null on the CPU or without NVML.</param>
public sealed record SweepTarget(ILockstepBackend Backend, EngineUnderTest Description, GpuIdentity? Gpu, GpuTelemetryWindow? Telemetry);

/// <summary>
/// Runs a sweep's grid on one backend: per point a fit check, the backend's preparation (a compiling backend compiles
/// here, timed apart), one short uncounted batch, then the lockstep batch that is measured. A point that does not fit
/// or fails is recorded as such and the sweep goes on; once the backend cannot go on, or its time budget is spent,
/// the points left are recorded as not run; Ctrl-C ends it with the points measured so far (the one it interrupted is
/// dropped). With a <see cref="Gate"/> (`sweep --gpus`) every point starts together with the other GPUs' runners.
/// </summary>
public sealed class SweepRunner(SweepTarget target, IBenchmarkClock clock)
{
    /// <summary>Output tokens of each point's warm-up batch.</summary>
    public const int WarmupOutputTokens = 2;

    private int _done;

    /// <summary>Points finished so far (any status), for a progress bar on another thread.</summary>
    public int Done => Volatile.Read(ref _done);

    /// <summary>Called on the runner's thread after each point.</summary>
    public Action<SweepPoint>? PointDone { get; init; }

    /// <summary>Seconds this backend may spend on points; the points not started by then are not run. Null: no limit.</summary>
    public double? TimeBudgetSeconds { get; init; }

    /// <summary>Why the backend stopped before the end of the grid (it failed and could not go on), or null.</summary>
    public string? BrokenBy { get; private set; }

    /// <summary>`sweep --gpus`: the runners of the other GPUs, waited for before each point; null for a sweep on one device.</summary>
    public SweepPointGate? Gate { get; init; }

    public (IReadOnlyList<SweepPoint> Points, bool Incomplete) Run(IReadOnlyList<SweepShape> grid, ulong seed, CancellationToken cancellationToken)
    {
        try
        {
            return RunGrid(grid, seed, cancellationToken);
        }
        finally
        {
            Gate?.Leave();
        }
    }

    private (IReadOnlyList<SweepPoint> Points, bool Incomplete) RunGrid(IReadOnlyList<SweepShape> grid, ulong seed, CancellationToken cancellationToken)
    {
        var backend = target.Backend;
        int vocab = target.Description.Model.Config.VocabSize;
        int longest = grid.Count == 0 ? 1 : grid.Max(s => s.LongestSequence);
        var points = new List<SweepPoint>();
        double start = clock.NowSeconds;
        foreach (var shape in grid)
        {
            if (cancellationToken.IsCancellationRequested || (Gate is { } gate && !gate.Wait(cancellationToken)))
                return (points, true);
            SweepPoint point;
            if (BrokenBy is not null)
            {
                point = Empty(shape, SweepPointStatus.NotRun, $"not run: {BrokenBy}");
            }
            else if (TimeBudgetSeconds is { } budget && clock.NowSeconds - start >= budget)
            {
                point = Empty(shape, SweepPointStatus.NotRun, $"not run: the backend's time budget of {budget:0} s was spent");
            }
            else if (backend.DoesNotFit(shape) is { } why)
            {
                point = Empty(shape, SweepPointStatus.DoesNotFit, why);
            }
            else
            {
                BackendPreparation prepared = BackendPreparation.None;
                try
                {
                    // Every point of a backend asks for the grid's longest sequence, so a compiled shape serves them all.
                    prepared = backend.Prepare(shape.BatchSize, longest, cancellationToken);
                    var warmup = LockstepBatch.Requests(shape with { OutputLen = Math.Min(shape.OutputLen, WarmupOutputTokens) }, vocab, seed ^ 0x5EED);
                    if (backend.Run(warmup, seed, cancellationToken).Offline.Incomplete)
                        return (points, true);
                    var startUtc = DateTimeOffset.UtcNow;
                    var m = backend.Run(LockstepBatch.Requests(shape, vocab, seed), seed, cancellationToken);
                    if (m.Offline.Incomplete)
                        return (points, true);
                    point = Measured(shape, m, startUtc, DateTimeOffset.UtcNow) with { CompileSeconds = prepared.CompileSeconds, CompileMode = prepared.CompileMode };
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return (points, true);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    point = Empty(shape, SweepPointStatus.Failed, $"failed: {ex.Message}") with { CompileSeconds = prepared.CompileSeconds, CompileMode = prepared.CompileMode };
                    if (!backend.Recover(shape.BatchSize))
                        BrokenBy = $"the {backend.Name} backend failed at batch {shape.BatchSize}, input {shape.InputText}, output {shape.OutputLen}: {ex.Message}";
                }
            }

            points.Add(point);
            Interlocked.Increment(ref _done);
            PointDone?.Invoke(point);
        }

        return (points, false);
    }

    private SweepPoint Measured(SweepShape shape, LockstepMeasurement m, DateTimeOffset startUtc, DateTimeOffset endUtc)
    {
        var o = m.Offline;
        var latency = o.Latency;
        var gpu = target.Gpu?.NvmlIndex is { } index ? target.Telemetry?.Summary(startUtc, endUtc).Gpus.FirstOrDefault(g => g.GpuIndex == index) : null;
        var floor = ThroughputResults.OfflineFloor(target.Description.Model.Config, target.Gpu, m.Requests, o.OutputTokens, o.ElapsedSeconds, target.Description.KvBytesPerElement, target.Description.Fp8LayerWeights).Floor;
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
            KvBlocksUsed = target.Backend.KvBlocks is { } blocks ? (int)Math.Round(o.Activity.PeakKvCacheUsage * blocks) : null,
            FractionOfFloor = floor?.FractionOfFloor,
        };
    }

    private SweepPoint Empty(SweepShape shape, SweepPointStatus status, string? note) => shape.Point(target.Backend.Name, status, note);
}
