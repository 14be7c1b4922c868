using LlmBench.LoadGen.Datasets;

namespace LlmBench.LoadGen.Client;

/// <summary>One chat message as a request sends it.</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// A --multi-turn conversation: its first user turn and the later ones. Turn t (t ≥ 1) is sent as the chat of every
/// user turn up to t with the server's replies to the earlier ones between them, so the server sees the conversation
/// grow as a user's would and a prefix cache can reuse it.
/// </summary>
public sealed class ChatConversation
{
    private readonly RequestBodyBuilder _builder;
    private readonly BenchRequest[] _turns;

    internal ChatConversation(RequestBodyBuilder builder, BenchRequest first, IReadOnlyList<BenchRequest> later)
    {
        _builder = builder;
        _turns = [first, .. later];
    }

    /// <summary>User turns in all, the first included.</summary>
    public int TurnCount => _turns.Length;

    /// <summary>
    /// Turn <paramref name="turn"/> after <paramref name="replies"/> (the server's answers to turns 0 … turn − 1). Its
    /// prompt length counts the user turns' tokens and the replies' (by <paramref name="countTokens"/>), without the chat
    /// template's, as the first turn's count does.
    /// </summary>
    public PreparedRequest Turn(int turn, IReadOnlyList<string> replies, Func<string, int>? countTokens)
    {
        if (turn < 1 || turn >= _turns.Length || replies.Count != turn)
            throw new ArgumentOutOfRangeException(nameof(turn), turn, $"turn must be in [1, {_turns.Length}) with one reply per earlier turn.");
        var messages = new List<ChatTurn>(2 * turn + 1);
        var promptTokens = 0;
        for (int t = 0; t <= turn; t++)
        {
            messages.Add(new ChatTurn("user", _turns[t].Prompt));
            promptTokens += _turns[t].PromptTokens;
            if (t < turn)
            {
                messages.Add(new ChatTurn("assistant", replies[t]));
                promptTokens += countTokens?.Invoke(replies[t]) ?? 0;
            }
        }

        return new PreparedRequest(_builder.ChatBody(messages, _turns[turn].ExpectedOutputTokens), promptTokens, _turns[turn].ExpectedOutputTokens);
    }
}
