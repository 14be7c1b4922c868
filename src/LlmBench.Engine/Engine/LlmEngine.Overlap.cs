using LlmBench.Engine.Api;
using LlmBench.Engine.Scheduling;

namespace LlmBench.Engine;

/// <summary>
/// The overlapped step loop (SGLang's overlap scheduler): step N+1 is scheduled and launched before step N's
/// tokens are read back. Sequences carry a placeholder for their in-flight token, so the scheduler plans as if it
/// were known; the device fills it in, and the host patches it one step later, then applies the stop rules. A
/// sequence that stops at step N may already be in step N+1: that extra token is dropped.
/// </summary>
public sealed partial class LlmEngine
{
    private InFlightStep? _inFlight;

    /// <param name="Sampled">The launched plan's sampling entries, in the order their ids come back.</param>
    /// <param name="FinishedAtLaunch">Sequences whose placeholder filled them up: finished at once (so they are not
    /// scheduled again) but still owed the event for their last token.</param>
    private sealed record InFlightStep(ScheduledSequence[] Sampled, HashSet<Sequence> FinishedAtLaunch);

    private List<TokenEvent> StepOverlapped(IModelExecutor executor, List<TokenEvent> events)
    {
        var plan = _scheduler.Schedule();
        if (!plan.IsEmpty)
            executor.Launch(plan);
        if (_inFlight is { } previous)
        {
            _inFlight = null;
            CollectInFlight(executor, previous, events);
        }
        if (!plan.IsEmpty)
            _inFlight = CommitPlaceholders(plan);
        return events;
    }

    private InFlightStep CommitPlaceholders(StepPlan plan)
    {
        var sampled = new ScheduledSequence[plan.NumSampled];
        var finished = new HashSet<Sequence>();
        int next = 0;
        foreach (var entry in plan.Entries)
        {
            if (!entry.Sample)
                continue;
            sampled[next++] = entry;
            var sequence = entry.Sequence;
            if (sequence.IsFinished)
                continue;
            _scheduler.CommitToken(sequence, IModelExecutor.Placeholder);
            if (sequence.IsAtCapacity)
            {
                _scheduler.Finish(sequence, SequenceStatus.FinishedLength);
                finished.Add(sequence);
            }
        }
        return new InFlightStep(sampled, finished);
    }

    private void CollectInFlight(IModelExecutor executor, InFlightStep step, List<TokenEvent> events)
    {
        var ids = _sampled.AsSpan(0, step.Sampled.Length);
        var logprobs = _logprobs.AsSpan(0, step.Sampled.Length);
        logprobs.Clear();
        executor.Collect(ids, logprobs);
        for (int i = 0; i < ids.Length; i++)
        {
            var entry = step.Sampled[i];
            var sequence = entry.Sequence;
            bool finishedAtLaunch = step.FinishedAtLaunch.Contains(sequence);
            if (sequence.IsFinished && !finishedAtLaunch)
                continue; // stopped or aborted after this step was launched
            sequence.ReplaceOutput(entry.OutputIndex, ids[i]);
            var finish = _stops.Check(sequence);
            events.Add(new TokenEvent(sequence.RequestId, ids[i], entry.OutputIndex, finish) { Logprobs = logprobs[i] });
            if (finish is { } reason && !finishedAtLaunch)
                _scheduler.Finish(sequence, reason == FinishReason.Stop ? SequenceStatus.FinishedStopped : SequenceStatus.FinishedLength);
        }
    }
}
