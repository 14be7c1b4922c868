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
/// <param name="logprobsRefusal">Null when the engine computes log probabilities; else the sentence that refuses them.</param>
public sealed class RequestTranslator(string servedModelName, ITextTokenizer? tokenizer, int maxModelLength, int vocabularySize, string? logprobsRefusal = null)
{
    public PreparedGeneration FromCompletion(CompletionRequest request)
    {
        CheckCommon(request);
        if (AsksFor(request.TopLogprobs))
            throw OpenAiException.BadRequest("top_logprobs belongs to /v1/chat/completions; /v1/completions takes the count as logprobs: N.", "top_logprobs");
        var logprobs = LogprobRequest.ForCompletion(request.Logprobs);
        var ids = request.Prompt is { } prompt ? PromptIds(prompt) : throw OpenAiException.BadRequest("prompt is required.", "prompt");
        return Prepare(request, ids, request.MaxTokens, logprobs);
    }

    public PreparedGeneration FromChat(ChatCompletionRequest request)
    {
        CheckCommon(request);
        if (request.Messages is not { Length: > 0 } messages)
            throw OpenAiException.BadRequest("messages must be a non-empty array.", "messages");
        var turns = messages.Select((m, i) => new ChatMessage(Role(m, i), Content(m, i))).ToArray();
        var enableThinking = EnableThinking(request.ChatTemplateKwargs);
        var logprobs = LogprobRequest.ForChat(request.Logprobs, request.TopLogprobs);
        var chatTokenizer = RequireTokenizer("messages");
        var ids = Encode(chatTokenizer, chatTokenizer.ApplyChatTemplate(turns, addGenerationPrompt: true, enableThinking), "messages");
        return Prepare(request, ids, request.MaxCompletionTokens ?? request.MaxTokens, logprobs);
    }

    private void CheckCommon(GenerationRequestBase request)
    {
        if (request.Model is { } model && model != servedModelName)
            throw OpenAiException.BadRequest($"The model `{model}` does not exist; this server serves `{servedModelName}`.", "model", "model_not_found");
        if (request.N is { } n && n != 1)
            throw OpenAiException.BadRequest($"n must be 1 (one completion per request), got {n}.", "n");
        RefuseUnimplemented(request);
    }

    /// <summary>
    /// A benchmark server must not pretend: fields it does not implement get a 400 naming them, unless they ask
    /// for nothing (null, false, 0, best_of 1, an empty tools list, response_format text).
    /// </summary>
    private static void RefuseUnimplemented(GenerationRequestBase request)
    {
        if (AsksFor(request.Echo))
            throw NotImplemented("echo", "the prompt is not echoed back");
        if (request.BestOf is { } bestOf && bestOf.ValueKind != JsonValueKind.Null
            && !(bestOf.ValueKind == JsonValueKind.Number && bestOf.TryGetInt32(out var b) && b == 1))
            throw NotImplemented("best_of", "one completion is generated per request (best_of must be 1)");
        if (request.ResponseFormat is { } format && format.ValueKind != JsonValueKind.Null
            && !(format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type)
                 && type.ValueKind == JsonValueKind.String && type.ValueEquals("text")))
            throw NotImplemented("response_format", "structured output (json_object, json_schema) is not supported; only {\"type\": \"text\"}");
        if (request.Tools is { } tools && tools.ValueKind != JsonValueKind.Null
            && !(tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() == 0))
            throw NotImplemented("tools", "tool calling is not supported");
    }

    private static bool AsksFor(JsonElement? field) => field is { } value && value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.Number => !(value.TryGetDouble(out var d) && d == 0),
        _ => true,
    };

    private static OpenAiException NotImplemented(string field, string why) =>
        OpenAiException.BadRequest($"{field} is not supported by this server: {why}. Leave it out of the request.", field, "unsupported_parameter");

    private static bool EnableThinking(JsonElement? kwargs)
    {
        if (kwargs is not { } value || value.ValueKind == JsonValueKind.Null)
            return true;
        if (value.ValueKind != JsonValueKind.Object)
            throw OpenAiException.BadRequest("chat_template_kwargs must be an object.", "chat_template_kwargs");
        var enable = true;
        foreach (var property in value.EnumerateObject())
        {
            if (property.NameEquals("enable_thinking"))
            {
                enable = property.Value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw OpenAiException.BadRequest("chat_template_kwargs.enable_thinking must be true or false.", "chat_template_kwargs.enable_thinking"),
                };
            }
            else
            {
                var name = Utf16Name(property);
                throw OpenAiException.BadRequest(
                    $"chat_template_kwargs.{name} is not supported by this server; the one key it honours is enable_thinking.", $"chat_template_kwargs.{name}", "unsupported_parameter");
            }
        }

        return enable;
    }

    private static string Utf16Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return "(invalid text)";
        }
    }

    /// <summary>
    /// A JSON string as .NET text. Invalid UTF-8 bytes and lone surrogates (an escaped "\ud800") cannot become text:
    /// a 400 naming <paramref name="param"/>, not the InvalidOperationException System.Text.Json throws.
    /// </summary>
    private static string Text(JsonElement value, string param)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw InvalidText(param);
        }
    }

    private static OpenAiException InvalidText(string param) =>
        OpenAiException.BadRequest($"{param} is not valid Unicode text: it holds invalid UTF-8 bytes or a lone surrogate (such as \\ud800).", param, "invalid_text");

    private static int[] Encode(ITextTokenizer tokenizer, string text, string param)
    {
        try
        {
            return tokenizer.Encode(text);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.EncoderFallbackException)
        {
            throw InvalidText(param);
        }
    }

    private PreparedGeneration Prepare(GenerationRequestBase request, int[] promptIds, int? maxTokens, int? logprobs)
    {
        if (logprobs is not null && logprobsRefusal is not null)
            throw OpenAiException.BadRequest($"logprobs is not supported by this server: {logprobsRefusal}", "logprobs", "unsupported_parameter");
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
            MinP = request.MinP ?? 0,
            Seed = request.Seed is { } seed ? unchecked((ulong)seed) : null,
            MaxTokens = max,
            MinTokens = request.MinTokens ?? 0,
            IgnoreEos = request.IgnoreEos ?? false,
            StopStrings = StopStrings(request.Stop),
            StopTokenIds = request.StopTokenIds ?? [],
            Logprobs = logprobs,
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
                return Encode(RequireTokenizer("prompt"), Text(prompt, "prompt"), "prompt");
            case JsonValueKind.Array when prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String:
                return Encode(RequireTokenizer("prompt"), Text(prompt[0], "prompt"), "prompt");
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
            return NonEmpty([Text(value, "stop")]);
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return NonEmpty(value.EnumerateArray().Select(e => Text(e, "stop")).ToArray());
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
            return Text(c, $"messages[{index}].content");
        if (c.ValueKind == JsonValueKind.Array)
        {
            var sb = new StringBuilder();
            foreach (var part in c.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object
                    || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("text")
                    || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                    throw OpenAiException.BadRequest($"messages[{index}].content parts must be {{\"type\": \"text\", \"text\": …}}; this server takes text only.", "messages");
                sb.Append(Text(text, $"messages[{index}].content"));
            }

            return sb.ToString();
        }

        throw OpenAiException.BadRequest($"messages[{index}].content must be a string or an array of text parts.", "messages");
    }
}
