using System.Text;
using System.Text.RegularExpressions;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// The ChatML chat format of Qwen models, rendered in C# (no Jinja engine): "&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n"
/// per message and "&lt;|im_start|&gt;assistant\n" as the generation prompt. It reproduces, for messages without tool
/// calls, what Qwen3's and Qwen2.5's templates render:
/// - a first system message goes first; Qwen2.5's default system prompt is added when there is none;
/// - tool results are wrapped in "&lt;tool_response&gt;" inside one user turn;
/// - Qwen3 (a template that knows "&lt;/think&gt;"): assistant turns before the last user query lose their
///   "&lt;think&gt;…&lt;/think&gt;" part, later ones keep it (the final one gets an empty block if it has none), and
///   enableThinking=false appends "&lt;think&gt;\n\n&lt;/think&gt;\n\n" to the generation prompt.
/// </summary>
public sealed class ChatMlTemplate
{
    private const string Start = "<|im_start|>";
    private const string End = "<|im_end|>";

    // A system turn written into the template as a literal, e.g. Qwen2.5's "You are Qwen, created by Alibaba Cloud...".
    private static readonly Regex DefaultSystem = new(@"<\|im_start\|>system\\n([^'""{}+]+?)<\|im_end\|>", RegexOptions.CultureInvariant);

    public ChatMlTemplate(bool reasoning, string? defaultSystemPrompt = null)
    {
        Reasoning = reasoning;
        DefaultSystemPrompt = defaultSystemPrompt;
    }

    /// <summary>Qwen3's handling of think blocks (see the class summary).</summary>
    public bool Reasoning { get; }

    public string? DefaultSystemPrompt { get; }

    /// <summary>The template for a tokenizer_config.json chat_template: ChatML when it uses &lt;|im_start|&gt;, or when
    /// there is no template but the vocabulary has ChatML's tokens; otherwise null (not a format rendered here).</summary>
    public static ChatMlTemplate? Recognise(string? jinja, bool vocabularyHasChatMl)
    {
        if (jinja is null)
        {
            return vocabularyHasChatMl ? new ChatMlTemplate(reasoning: false) : null;
        }

        if (!jinja.Contains(Start, StringComparison.Ordinal))
        {
            return null;
        }

        Match system = DefaultSystem.Match(jinja);
        return new ChatMlTemplate(
            reasoning: jinja.Contains("</think>", StringComparison.Ordinal),
            system.Success ? system.Groups[1].Value.Replace("\\n", "\n", StringComparison.Ordinal) : null);
    }

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, bool enableThinking = true)
    {
        if (messages.Count == 0)
        {
            throw new UserErrorException("A chat needs at least one message.");
        }

        var text = new StringBuilder();
        if (messages[0].Role == "system")
        {
            Turn(text, "system", messages[0].Content);
        }
        else if (DefaultSystemPrompt is not null)
        {
            Turn(text, "system", DefaultSystemPrompt);
        }

        int lastQuery = LastUserQuery(messages);
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage m = messages[i];
            switch (m.Role)
            {
                case "system" when i == 0:
                    break;
                case "user" or "system":
                    Turn(text, m.Role, m.Content);
                    break;
                case "assistant":
                    Assistant(text, m.Content, showReasoning: Reasoning && i > lastQuery, isLast: i == messages.Count - 1);
                    break;
                case "tool":
                    bool first = i == 0 || messages[i - 1].Role != "tool", last = i == messages.Count - 1 || messages[i + 1].Role != "tool";
                    text.Append(first ? Start + "user" : "").Append("\n<tool_response>\n").Append(m.Content).Append("\n</tool_response>");
                    text.Append(last ? End + "\n" : "");
                    break;
                default:
                    throw new UserErrorException($"The chat role '{m.Role}' is not one of system, user, assistant, tool.");
            }
        }

        if (addGenerationPrompt)
        {
            text.Append(Start).Append("assistant\n");
            if (Reasoning && !enableThinking)
            {
                text.Append("<think>\n\n</think>\n\n");
            }
        }

        return text.ToString();
    }

    private static void Turn(StringBuilder text, string role, string content) =>
        text.Append(Start).Append(role).Append('\n').Append(content).Append(End).Append('\n');

    // The last user message that is not a wrapped tool response; turns after it belong to the current answer.
    private static int LastUserQuery(IReadOnlyList<ChatMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            string c = messages[i].Content;
            if (messages[i].Role == "user" && !(c.StartsWith("<tool_response>", StringComparison.Ordinal) && c.EndsWith("</tool_response>", StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return messages.Count - 1;
    }

    private void Assistant(StringBuilder text, string content, bool showReasoning, bool isLast)
    {
        string reasoning = string.Empty;
        int close = content.IndexOf("</think>", StringComparison.Ordinal);
        if (Reasoning && close >= 0)
        {
            string before = content[..close].TrimEnd('\n');
            int open = before.LastIndexOf("<think>", StringComparison.Ordinal);
            reasoning = (open >= 0 ? before[(open + "<think>".Length)..] : before).TrimStart('\n');
            content = content[(content.LastIndexOf("</think>", StringComparison.Ordinal) + "</think>".Length)..].TrimStart('\n');
        }

        text.Append(Start).Append("assistant\n");
        if (showReasoning && (isLast || reasoning.Length > 0))
        {
            text.Append("<think>\n").Append(reasoning.Trim('\n')).Append("\n</think>\n\n").Append(content.TrimStart('\n'));
        }
        else
        {
            text.Append(content);
        }

        text.Append(End).Append('\n');
    }
}
