namespace LlmBench.Server.Protocol;

/// <summary>
/// /v1/completions' logprobs object (OpenAI's legacy shape): per generated token its text, its log probability, where its
/// text starts in the completion, and a map of the top tokens (the sampled one always among them, so up to N + 1 entries).
/// </summary>
public sealed record CompletionLogprobs(List<int> TextOffset, List<float> TokenLogprobs, List<string> Tokens, List<Dictionary<string, float>> TopLogprobs)
{
    public CompletionLogprobs()
        : this([], [], [], [])
    {
    }
}

/// <summary>/v1/chat/completions' logprobs object: {"content": [one entry per generated token]}.</summary>
public sealed record ChatLogprobs(List<ChatLogprobEntry> Content)
{
    public ChatLogprobs()
        : this([])
    {
    }
}

/// <summary>One generated token of a chat: its text, log probability, UTF-8 bytes and the top alternatives, best first.</summary>
public sealed record ChatLogprobEntry(string Token, float Logprob, int[] Bytes, ChatTopLogprob[] TopLogprobs);

public sealed record ChatTopLogprob(string Token, float Logprob, int[] Bytes);
