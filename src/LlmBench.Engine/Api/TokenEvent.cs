namespace LlmBench.Engine.Api;

/// <summary>Why a sequence stopped, in OpenAI's vocabulary where it has one.</summary>
public enum FinishReason
{
    /// <summary>EOS, a stop token id or a stop string.</summary>
    Stop,

    /// <summary>max_tokens or the model's context length reached.</summary>
    Length,

    /// <summary>Cancelled by the caller (a client that went away).</summary>
    Aborted,
}

/// <summary>
/// One generated token of one request. <see cref="Finish"/> is set on the request's last event;
/// an aborted request gets a final event with <see cref="TokenId"/> = -1.
/// </summary>
public readonly record struct TokenEvent(string RequestId, int TokenId, int OutputIndex, FinishReason? Finish)
{
    public bool IsFinal => Finish is not null;

    /// <summary>The token's log probabilities when its request asked for them (<see cref="SamplingParams.Logprobs"/>); else null.</summary>
    public TokenLogprobs? Logprobs { get; init; }
}
