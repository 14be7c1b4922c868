using System.Diagnostics;
using LlmBench.LoadGen.Arrivals;
using LlmBench.LoadGen.Client;
using LlmBench.Reports.Serving;

namespace LlmBench.LoadGen.Runner;

/// <summary>What a run measured: per-request records, the raw timings behind them, the duration and the client's self-check.</summary>
public sealed record RunOutcome(
    IReadOnlyList<RequestRecord> Records,
    IReadOnlyList<RequestTiming> Timings,
    double DurationSeconds,
    ClientHealth Client);

/// <summary>
/// Drives a run as `vllm bench serve` does: warm-ups first (not recorded), then each request leaves
/// when the arrival schedule says and a --max-concurrency slot is free. The dispatcher takes the slot
/// before it starts a request, so a closed loop never piles up waiting tasks. Duration runs from the
/// first send to the last completion. A --multi-turn conversation keeps its slot from its first turn to its last, each
/// turn sent as soon as the previous answer is in (a failed turn ends the conversation); every turn is a request of its
/// own in the results, numbered after the scheduled ones. A --fixed-schedule run sends each request at its trace time.
/// </summary>
public sealed class BenchmarkRunner(StreamingClient client)
{
    public async Task<RunOutcome> RunAsync(RunPlan plan, RunProgress progress, Func<string, int>? countTokens, CancellationToken cancellationToken)
    {
        plan.Validate();
        await WarmUpAsync(plan, cancellationToken);

        using var slots = plan.MaxConcurrency is { } limit ? new SemaphoreSlim(limit) : null;
        var schedule = new ArrivalSchedule(plan.RequestRate, plan.Burstiness, plan.Seed);
        var offsets = plan.FixedOffsets is { } fixedOffsets ? fixedOffsets.ToArray()
            : plan.DurationSeconds is not null ? null
            : plan.RampUp is { } ramp ? ArrivalSchedule.RampOffsets(plan.Requests.Count, ramp, plan.Burstiness, plan.Seed)
            : schedule.Offsets(plan.Requests.Count);
        var cpu = new CpuMeter();
        var startTicks = Stopwatch.GetTimestamp();
        var endTicks = plan.DurationSeconds is { } seconds ? startTicks + SecondsToTicks(seconds) : long.MaxValue;
        var tasks = new List<Task<RequestTiming>>(plan.Requests.Count);
        var laterTurns = new System.Collections.Concurrent.ConcurrentQueue<RequestTiming>();
        double dueSeconds = 0;
        long slotFreedTicks = 0;

        for (int i = 0; offsets is null || i < offsets.Length; i++)
        {
            dueSeconds = offsets?[i] ?? dueSeconds + schedule.NextGapSeconds();
            var dueTicks = startTicks + SecondsToTicks(dueSeconds);
            if (dueTicks >= endTicks)
                break;
            await WaitUntilAsync(dueTicks, cancellationToken);
            if (slots is not null && !slots.Wait(0, CancellationToken.None))
            {
                await slots.WaitAsync(cancellationToken);
                slotFreedTicks = Stopwatch.GetTimestamp();
            }

            if (Stopwatch.GetTimestamp() >= endTicks)
            {
                slots?.Release();
                break;
            }

            // Lag counts from when the request could have left: when due, or, when requests queued for a
            // --max-concurrency slot (this one or one before it), when the dispatcher got its last slot.
            var readyTicks = Math.Max(dueTicks, slotFreedTicks);
            var request = plan.Requests[i % plan.Requests.Count];
            tasks.Add(SendOneAsync(i, plan.RequestIdPrefix + i, request, dueTicks, readyTicks, slots, progress, new TurnSink(laterTurns, countTokens), cancellationToken));
        }

        var scheduled = await Task.WhenAll(tasks);
        var timings = scheduled.Concat(laterTurns.OrderBy(t => t.SendTicks).Select((t, k) => t with { Index = scheduled.Length + k })).ToArray();
        var utilization = cpu.Utilization();
        return Summarize(plan, timings, countTokens, utilization);
    }

    /// <summary>Where a conversation's later turns go, and how their prompt lengths are counted.</summary>
    private sealed record TurnSink(System.Collections.Concurrent.ConcurrentQueue<RequestTiming> Timings, Func<string, int>? CountTokens);

    private async Task<RequestTiming> SendOneAsync(
        int index, string requestId, PreparedRequest request, long dueTicks, long readyTicks, SemaphoreSlim? slots, RunProgress progress,
        TurnSink turns, CancellationToken cancellationToken)
    {
        try
        {
            var timing = await client.SendAsync(index, requestId, request, dueTicks, readyTicks, cancellationToken);
            progress.Record(timing.Success);
            if (request.Conversation is { } conversation && timing.Success)
                await SendLaterTurnsAsync(conversation, requestId, timing, progress, turns, cancellationToken);
            return timing;
        }
        finally
        {
            slots?.Release();
        }
    }

    private async Task SendLaterTurnsAsync(
        ChatConversation conversation, string requestId, RequestTiming first, RunProgress progress, TurnSink turns, CancellationToken cancellationToken)
    {
        var replies = new List<string> { first.GeneratedText ?? "" };
        for (int turn = 1; turn < conversation.TurnCount; turn++)
        {
            var next = conversation.Turn(turn, replies, turns.CountTokens);
            // Due as soon as the previous answer ended: no think time, so the send lag stays the client's own.
            var ready = Stopwatch.GetTimestamp();
            var timing = await client.SendAsync(-1, $"{requestId}-turn{turn}", next, ready, ready, cancellationToken);
            progress.Record(timing.Success);
            turns.Timings.Enqueue(timing with { PromptTokens = next.PromptTokens });
            if (!timing.Success)
                return;
            replies.Add(timing.GeneratedText ?? "");
        }
    }

    private async Task WarmUpAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        if (plan.NumWarmups == 0)
            return;
        using var slots = new SemaphoreSlim(plan.MaxConcurrency ?? plan.NumWarmups);
        var warmups = Enumerable.Range(0, plan.NumWarmups).Select(async i =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                await client.SendAsync(-1 - i, $"{plan.RequestIdPrefix}warmup-{i}", plan.Requests[0], 0, 0, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(warmups);
    }

    private static RunOutcome Summarize(RunPlan plan, RequestTiming[] timings, Func<string, int>? countTokens, double cpuUtilization)
    {
        if (timings.Length == 0)
            throw new InvalidOperationException("The run sent no request; is --duration shorter than the first arrival?");
        var firstSend = timings.Min(t => t.SendTicks);
        var lastEnd = timings.Max(t => t.EndTicks);
        var records = timings
            .Select(t => t.ToRecord(firstSend, t.PromptTokens ?? plan.Requests[t.Index % plan.Requests.Count].PromptTokens, countTokens))
            .ToArray();
        var duration = Math.Max(RequestTiming.TicksToMs(lastEnd - firstSend) / 1000.0, 1e-9);
        return new RunOutcome(records, timings, duration, ClientSelfCheck.Assess(timings, cpuUtilization));
    }

    /// <summary>
    /// Sleeps until the request is due, never spinning: the timer's millisecond grain makes a send up to
    /// about a millisecond late (the self-check reports it), while the schedule stays absolute, so a late
    /// wake-up sends every request that fell due meanwhile and the offered load is kept.
    /// </summary>
    private static async Task WaitUntilAsync(long dueTicks, CancellationToken cancellationToken)
    {
        var remainingMs = RequestTiming.TicksToMs(dueTicks - Stopwatch.GetTimestamp());
        if (remainingMs > 0)
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remainingMs)), cancellationToken);
    }

    private static long SecondsToTicks(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
