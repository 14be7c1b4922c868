using System.Text;
using System.Text.Json;
using LlmBench.Engine.Api;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server.Protocol;

/// <summary>
/// Turns request bodies into engine requests, refusing what cannot run with the error OpenAI's API
/// gives (400 with the offending param): an unknown model, n &gt; 1, bad sampling values, a prompt
/// that with max_tokens exceeds the context, token ids outside the vocabulary. Without a tokenizer
/// only token-id prompts can run; text and chat get a 400 that says so.
/// </summary>
public sealed class RequestTranslator(string servedModelName, ITextTokenizer? tokenizer, int maxModelLength, int vocabularySize)
{
    public PreparedGeneration FromCompletion(CompletionRequest request)
    {
        CheckCommon(request);
        var ids = request.Prompt is { } prompt ? PromptIds(prompt) : throw OpenAiException.BadRequest("prompt is required.", "prompt");
        return Prepare(request, ids, request.MaxTokens);
    }

    public PreparedGeneration FromChat(ChatCompletionRequest request)
    {
        CheckCommon(request);
        if (request.Messages is not { Length: > 0 } messages)
            throw OpenAiException.BadRequest("messages must be a non-empty array.", "messages");
        var turns = messages.Select((m, i) => new ChatMessage(Role(m, i), Content(m, i))).ToArray();
        var chatTokenizer = RequireTokenizer("messages");
        var ids = chatTokenizer.Encode(chatTokenizer.ApplyChatTemplate(turns, addGenerationPrompt: true));
        return Prepare(request, ids, request.MaxCompletionTokens ?? request.MaxTokens);
    }

    private void CheckCommon(GenerationRequestBase request)
    {
        if (request.Model is { } model && model != servedModelName)
            throw OpenAiException.BadRequest($"The model `{model}` does not exist; this server serves `{servedModelName}`.", "model", "model_not_found");
        if (request.N is { } n && n != 1)
            throw OpenAiException.BadRequest($"n must be 1 (one completion per request), got {n}.", "n");
    }

    private PreparedGeneration Prepare(GenerationRequestBase request, int[] promptIds, int? maxTokens)
    {
        if (promptIds.Length == 0)
            throw OpenAiException.BadRequest("The prompt is empty.", "prompt");
        var room = maxModelLength - promptIds.Length;
        var max = maxTokens ?? room;
        if (max < 1 && maxTokens is not null)
            throw OpenAiException.BadRequest($"max_tokens must be at least 1, got {max}.", "max_tokens");
        if (promptIds.Length + max > maxModelLength || room < 1)
            throw OpenAiException.BadRequest(
                $"This model's maximum context length is {maxModelLength} tokens. However, you requested {promptIds.Length + Math.Max(max, 1)} tokens " +
                $"({promptIds.Length} in the prompt, {Math.Max(max, 1)} for the completion). Shorten the prompt or lower max_tokens.",
                maxTokens is null ? "prompt" : "max_tokens", "context_length_exceeded");

        var sampling = new SamplingParams
        {
            Temperature = request.Temperature ?? 1.0f,
            TopP = request.TopP ?? 1.0f,
            TopK = request.TopK ?? 0,
            Seed = request.Seed is { } seed ? unchecked((ulong)seed) : null,
            MaxTokens = max,
            MinTokens = request.MinTokens ?? 0,
            IgnoreEos = request.IgnoreEos ?? false,
            StopStrings = StopStrings(request.Stop),
            StopTokenIds = request.StopTokenIds ?? [],
        };
        try
        {
            sampling.Validate();
        }
        catch (ArgumentException ex)
        {
            throw OpenAiException.BadRequest(ex.Message);
        }

        if (sampling.StopTokenIds.Any(id => id < 0 || id >= vocabularySize))
            throw OpenAiException.BadRequest($"stop_token_ids must lie in [0, {vocabularySize}).", "stop_token_ids");
        var stream = request.Stream ?? false;
        return new PreparedGeneration(promptIds, sampling, stream, stream && (request.StreamOptions?.IncludeUsage ?? false), request.ReturnTokenIds ?? false);
    }

    private int[] PromptIds(JsonElement prompt)
    {
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return RequireTokenizer("prompt").Encode(prompt.GetString()!);
            case JsonValueKind.Array when prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String:
                return RequireTokenizer("prompt").Encode(prompt[0].GetString()!);
            case JsonValueKind.Array when prompt.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number):
                var ids = new int[prompt.GetArrayLength()];
                var i = 0;
                foreach (var e in prompt.EnumerateArray())
                {
                    if (!e.TryGetInt32(out var id) || id < 0 || id >= vocabularySize)
                        throw OpenAiException.BadRequest($"Prompt token ids must be integers in [0, {vocabularySize}).", "prompt");
                    ids[i++] = id;
                }

                return ids;
            case JsonValueKind.Array:
                throw OpenAiException.BadRequest("Only one prompt per request is supported: send a string, a one-string array or one array of token ids.", "prompt");
            default:
                throw OpenAiException.BadRequest("prompt must be a string or an array of token ids.", "prompt");
        }
    }

    private ITextTokenizer RequireTokenizer(string param) => tokenizer
        ?? throw OpenAiException.BadRequest(
            $"The model `{servedModelName}` is served without a tokenizer: send the prompt to /v1/completions as token ids (\"prompt\": [1, 2, 3]).", param);

    private static IReadOnlyList<string> StopStrings(JsonElement? stop)
    {
        if (stop is not { } value || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind == JsonValueKind.String)
            return NonEmpty([value.GetString()!]);
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return NonEmpty(value.EnumerateArray().Select(e => e.GetString()!).ToArray());
        throw OpenAiException.BadRequest("stop must be a string or an array of strings.", "stop");
    }

    private static string[] NonEmpty(string[] stops) =>
        stops.Any(string.IsNullOrEmpty) ? throw OpenAiException.BadRequest("stop strings must not be empty.", "stop") : stops;

    private static string Role(ChatMessageDto message, int index) =>
        message.Role is "system" or "user" or "assistant" or "tool" or "developer"
            ? message.Role
            : throw OpenAiException.BadRequest($"messages[{index}].role must be system, user, assistant, tool or developer.", "messages");

    private static string Content(ChatMessageDto message, int index)
    {
        var content = message.Content;
        if (content is not { } c || c.ValueKind == JsonValueKind.Null)
            return "";
        if (c.ValueKind == JsonValueKind.String)
            return c.GetString()!;
        if (c.ValueKind == JsonValueKind.Array)
        {
            var sb = new StringBuilder();
            foreach (var part in c.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object
                    || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                    || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                    throw OpenAiException.BadRequest($"messages[{index}].content parts must be {{\"type\": \"text\", \"text\": …}}; this server takes text only.", "messages");
                sb.Append(text.GetString());
            }

            return sb.ToString();
        }

        throw OpenAiException.BadRequest($"messages[{index}].content must be a string or an array of text parts.", "messages");
    }
}
