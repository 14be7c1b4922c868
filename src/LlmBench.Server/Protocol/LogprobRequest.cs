using System.Text.Json;
using LlmBench.Engine.Api;

namespace LlmBench.Server.Protocol;

/// <summary>
/// How many top log probabilities a request asks for, read as each endpoint spells it (null: none). /v1/completions:
/// logprobs: N, the sampled token's and N alternatives (0 gives the sampled token's alone). /v1/chat/completions:
/// logprobs: true with top_logprobs: N (default 0); top_logprobs without logprobs: true is an error, as vLLM has it.
/// </summary>
internal static class LogprobRequest
{
    public static int? ForCompletion(JsonElement? logprobs) =>
        logprobs is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.False
            ? null
            : Count(value, "logprobs", $"logprobs must be an integer from 0 to {SamplingParams.MaxLogprobs} for /v1/completions");

    public static int? ForChat(JsonElement? logprobs, JsonElement? topLogprobs)
    {
        var asked = logprobs is { } value && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw OpenAiException.BadRequest("logprobs must be true or false for /v1/chat/completions; give the number of alternatives as top_logprobs.", "logprobs"),
        };
        int? top = topLogprobs is { ValueKind: not JsonValueKind.Null } t
            ? Count(t, "top_logprobs", $"top_logprobs must be an integer from 0 to {SamplingParams.MaxLogprobs}")
            : null;
        if (top is not null && !asked)
            throw OpenAiException.BadRequest("top_logprobs needs logprobs: true.", "top_logprobs");
        return asked ? top ?? 0 : null;
    }

    private static int Count(JsonElement value, string param, string rule) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 0 and <= SamplingParams.MaxLogprobs
            ? n
            : throw OpenAiException.BadRequest($"{rule}, got {Shown(value)}.", param);

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText() is { Length: <= 24 } raw ? raw : "a number out of range",
        JsonValueKind.String => "a string",
        JsonValueKind.True => "true",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
