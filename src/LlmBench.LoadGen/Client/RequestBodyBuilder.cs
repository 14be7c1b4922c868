using System.Buffers;
using System.Text.Json;
using LlmBench.LoadGen.Datasets;

namespace LlmBench.LoadGen.Client;

/// <summary>A request ready to go: its body is serialized before the run so sending costs no JSON work.</summary>
public sealed record PreparedRequest(byte[] Body, int PromptTokens, int MaxTokens);

/// <summary>
/// Serializes bodies as `vllm bench serve` sends them: "openai" posts {model, prompt, max_tokens, …} to
/// /v1/completions, "openai-chat" posts {model, messages: [user], max_completion_tokens, …} to
/// /v1/chat/completions; both stream with stream_options.include_usage, and ignore_eos only when asked.
/// </summary>
public sealed class RequestBodyBuilder(string backend, string model, bool ignoreEos, SamplingOverrides sampling)
{
    public static readonly IReadOnlyList<string> Backends = ["openai", "openai-chat"];

    public PreparedRequest Build(BenchRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(request.Prompt.Length + 256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            if (backend == "openai-chat")
            {
                w.WriteStartArray("messages");
                w.WriteStartObject();
                w.WriteString("role", "user");
                w.WriteString("content", request.Prompt);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteNumber("max_completion_tokens", request.ExpectedOutputTokens);
            }
            else
            {
                w.WriteString("prompt", request.Prompt);
                w.WriteNumber("max_tokens", request.ExpectedOutputTokens);
            }

            w.WriteBoolean("stream", true);
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
            if (ignoreEos)
                w.WriteBoolean("ignore_eos", true);
            if (sampling.Temperature is { } temperature)
                w.WriteNumber("temperature", temperature);
            if (sampling.TopP is { } topP)
                w.WriteNumber("top_p", topP);
            if (sampling.TopK is { } topK)
                w.WriteNumber("top_k", topK);
            w.WriteEndObject();
        }

        return new PreparedRequest(buffer.WrittenSpan.ToArray(), request.PromptTokens, request.ExpectedOutputTokens);
    }
}

/// <summary>Sampling values sent only when given (--temperature, --top-p, --top-k), as vLLM sends them.</summary>
public sealed record SamplingOverrides(double? Temperature = null, double? TopP = null, int? TopK = null)
{
    public static readonly SamplingOverrides None = new();
}
