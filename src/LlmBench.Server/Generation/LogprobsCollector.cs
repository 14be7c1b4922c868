using LlmBench.Engine.Api;
using LlmBench.Server.Protocol;

namespace LlmBench.Server.Generation;

/// <summary>
/// Turns the engine's per-token log probabilities into OpenAI's shapes: the whole answer's logprobs object (every token
/// <see cref="Add"/>ed), or one streamed chunk's (<see cref="ChunkForCompletion"/>, <see cref="ChunkForChat"/>).
/// Log probabilities of -inf are written as -9999, as vLLM does, since JSON has no infinity.
/// </summary>
internal sealed class LogprobsCollector(TokenTexts texts, bool chat)
{
    private const float Floor = -9999f;

    private readonly CompletionLogprobs? _completion = chat ? null : new();
    private readonly ChatLogprobs? _chat = chat ? new() : null;

    /// <summary>The completion so far, as the whole response's logprobs object (null when no token carried any).</summary>
    public CompletionLogprobs? CompletionResult => _completion is { Tokens.Count: > 0 } c ? c : null;

    /// <summary>The chat answer so far, as the whole response's logprobs object (null when no token carried any).</summary>
    public ChatLogprobs? ChatResult => _chat is { Content.Count: > 0 } c ? c : null;

    /// <param name="textOffset">Characters of completion text sent before this token's chunk.</param>
    public void Add(int tokenId, TokenLogprobs logprobs, int textOffset)
    {
        if (chat)
            _chat!.Content.Add(ChatEntry(tokenId, logprobs));
        else
            AddCompletion(_completion!, tokenId, logprobs, textOffset);
    }

    public CompletionLogprobs ChunkForCompletion(int tokenId, TokenLogprobs logprobs, int textOffset)
    {
        var chunk = new CompletionLogprobs();
        AddCompletion(chunk, tokenId, logprobs, textOffset);
        return chunk;
    }

    public ChatLogprobs ChunkForChat(int tokenId, TokenLogprobs logprobs) => new([ChatEntry(tokenId, logprobs)]);

    private void AddCompletion(CompletionLogprobs target, int tokenId, TokenLogprobs logprobs, int textOffset)
    {
        var token = texts.Of(tokenId);
        target.TextOffset.Add(textOffset);
        target.TokenLogprobs.Add(Finite(logprobs.Logprob));
        target.Tokens.Add(token);
        // The sampled token is always in the map (OpenAI: "up to logprobs + 1 elements"); two ids that show as the same
        // text keep the first, more likely one, so the map stays valid JSON.
        var top = new Dictionary<string, float>(logprobs.Top.Count + 1, StringComparer.Ordinal);
        foreach (var candidate in logprobs.Top)
            top.TryAdd(texts.Of(candidate.TokenId), Finite(candidate.Logprob));
        top.TryAdd(token, Finite(logprobs.Logprob));
        target.TopLogprobs.Add(top);
    }

    private ChatLogprobEntry ChatEntry(int tokenId, TokenLogprobs logprobs)
    {
        var token = texts.Of(tokenId);
        var top = new ChatTopLogprob[logprobs.Top.Count];
        for (int i = 0; i < top.Length; i++)
        {
            var text = texts.Of(logprobs.Top[i].TokenId);
            top[i] = new ChatTopLogprob(text, Finite(logprobs.Top[i].Logprob), TokenTexts.Bytes(text));
        }

        return new ChatLogprobEntry(token, Finite(logprobs.Logprob), TokenTexts.Bytes(token), top);
    }

    private static float Finite(float logprob) => float.IsNaN(logprob) || logprob < Floor ? Floor : logprob;
}
