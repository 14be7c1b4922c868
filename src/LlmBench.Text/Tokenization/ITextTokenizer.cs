namespace LlmBench.Text.Tokenization;

/// <summary>A chat turn for the model's chat template.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>Text to token ids and back, plus the model's chat template and special ids.</summary>
public interface ITextTokenizer
{
    /// <summary>Encodes text; special-token strings such as "&lt;|im_start|&gt;" in the text become their ids.</summary>
    int[] Encode(string text);

    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false);

    /// <summary>Renders messages with the model's chat template (ChatML for Qwen).</summary>
    string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true);

    /// <summary>
    /// As above, with Qwen3's enable_thinking: false adds an empty "&lt;think&gt;\n\n&lt;/think&gt;\n\n" to the generation
    /// prompt. A template without think blocks ignores it.
    /// </summary>
    string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, bool enableThinking) =>
        ApplyChatTemplate(messages, addGenerationPrompt);

    /// <summary>A fresh streaming decoder for one sequence.</summary>
    IIncrementalDetokenizer CreateDetokenizer(bool skipSpecialTokens = true);

    /// <summary>Ids that end generation by default (e.g. &lt;|im_end|&gt;, &lt;|endoftext|&gt;).</summary>
    IReadOnlyList<int> EosTokenIds { get; }
}

/// <summary>Turns a stream of ids into text pieces, never emitting half a UTF-8 character.</summary>
public interface IIncrementalDetokenizer
{
    /// <summary>Adds one id and returns the newly complete text (possibly empty).</summary>
    string Push(int tokenId);

    /// <summary>Everything emitted so far.</summary>
    string Text { get; }
}
