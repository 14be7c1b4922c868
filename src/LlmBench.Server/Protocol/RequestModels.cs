using System.Text.Json;

namespace LlmBench.Server.Protocol;

/// <summary>stream_options: include_usage asks for a final chunk with token counts.</summary>
public sealed record StreamOptions(bool? IncludeUsage);

/// <summary>The sampling fields /v1/completions and /v1/chat/completions share (vLLM's extras included).</summary>
public abstract record GenerationRequestBase
{
    public string? Model { get; init; }
    public int? MaxTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public int? TopK { get; init; }
    public float? MinP { get; init; }
    public int? MinTokens { get; init; }
    public long? Seed { get; init; }

    /// <summary>A string or an array of strings.</summary>
    public JsonElement? Stop { get; init; }

    public int[]? StopTokenIds { get; init; }
    public int? N { get; init; }
    public bool? Stream { get; init; }
    public StreamOptions? StreamOptions { get; init; }
    public bool? IgnoreEos { get; init; }

    /// <summary>vLLM's extra: whole (non-streamed) responses also give prompt_token_ids and token_ids per choice.</summary>
    public bool? ReturnTokenIds { get; init; }

    /// <summary>/v1/completions: an integer N; /v1/chat/completions: true or false (see <see cref="LogprobRequest"/>).</summary>
    public JsonElement? Logprobs { get; init; }

    /// <summary>/v1/chat/completions: alternatives per token with logprobs: true.</summary>
    public JsonElement? TopLogprobs { get; init; }

    // Fields this server does not implement, read only so that a request asking for them gets a 400 naming
    // the field instead of a 200 that pretends (see RequestTranslator.RefuseUnimplemented).
    public JsonElement? Echo { get; init; }
    public JsonElement? BestOf { get; init; }
    public JsonElement? ResponseFormat { get; init; }
    public JsonElement? Tools { get; init; }
}

/// <summary>POST /v1/completions. The prompt is a string, a one-string array, or token ids.</summary>
public sealed record CompletionRequest : GenerationRequestBase
{
    public JsonElement? Prompt { get; init; }
}

/// <summary>One chat message; content is a string or an array of {"type": "text", "text": …} parts.</summary>
public sealed record ChatMessageDto(string? Role, JsonElement? Content);

/// <summary>POST /v1/chat/completions. max_completion_tokens is the newer name of max_tokens.</summary>
public sealed record ChatCompletionRequest : GenerationRequestBase
{
    public ChatMessageDto[]? Messages { get; init; }
    public int? MaxCompletionTokens { get; init; }

    /// <summary>vLLM's extra for the chat template; enable_thinking (Qwen3) is the one key honoured.</summary>
    public JsonElement? ChatTemplateKwargs { get; init; }
}
