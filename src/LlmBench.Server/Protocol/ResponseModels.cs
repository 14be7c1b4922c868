using System.Text.Json.Serialization;

namespace LlmBench.Server.Protocol;

public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record CompletionChoice(
    int Index,
    string Text,
    CompletionLogprobs? Logprobs,
    string? FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? PromptTokenIds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? TokenIds = null);

/// <summary>A /v1/completions response ("text_completion"), whole or one streamed chunk of it.</summary>
public sealed record CompletionResponse(string Id, string Object, long Created, string Model, CompletionChoice[] Choices, Usage? Usage);

public sealed record ChatMessageOut(string Role, string Content);

public sealed record ChatChoice(
    int Index,
    ChatMessageOut Message,
    ChatLogprobs? Logprobs,
    string? FinishReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? PromptTokenIds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? TokenIds = null);

public sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, ChatChoice[] Choices, Usage Usage);

/// <summary>A streamed delta: role on the first chunk, content on the others, neither on the last.</summary>
public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, ChatLogprobs? Logprobs, string? FinishReason);

public sealed record ChatCompletionChunk(string Id, string Object, long Created, string Model, ChatChunkChoice[] Choices, Usage? Usage);

public sealed record ModelCard(string Id, string Object, long Created, string OwnedBy, string Root, int MaxModelLen);

public sealed record ModelList(string Object, ModelCard[] Data);

public sealed record ErrorBody(string Message, string Type, string? Param, string? Code);

/// <summary>OpenAI's error envelope: {"error": {"message", "type", "param", "code"}}.</summary>
public sealed record ErrorResponse(ErrorBody Error);
