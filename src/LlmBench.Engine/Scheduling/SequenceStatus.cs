namespace LlmBench.Engine.Scheduling;

public enum SequenceStatus
{
    /// <summary>Queued, holding no KV blocks (new, or preempted and waiting to be recomputed).</summary>
    Waiting,

    /// <summary>Admitted: holds KV blocks and is scheduled every step its turn comes.</summary>
    Running,

    /// <summary>Ended by EOS or a stop token id.</summary>
    FinishedStopped,

    /// <summary>Ended by max_tokens or the model length.</summary>
    FinishedLength,

    /// <summary>Cancelled by the caller.</summary>
    FinishedAborted,
}
