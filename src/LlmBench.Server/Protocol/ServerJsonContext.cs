using System.Text.Json.Serialization;

namespace LlmBench.Server.Protocol;

/// <summary>
/// Source-generated JSON for every body the server reads or writes (no reflection at run time);
/// snake_case as the OpenAI API spells it; numbers must be numbers.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 64)]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CompletionLogprobs))]
[JsonSerializable(typeof(ChatLogprobs))]
public sealed partial class ServerJsonContext : JsonSerializerContext;
