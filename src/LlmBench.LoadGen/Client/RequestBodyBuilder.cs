using System.Buffers;
using System.Text.Json;
using LlmBench.LoadGen.Datasets;

namespace LlmBench.LoadGen.Client;

/// <summary>
/// A request ready to go: its body is serialized before the run so sending costs no JSON work. A --multi-turn
/// conversation's first turn carries the <see cref="Conversation"/> that builds its later turns from the replies.
/// </summary>
public sealed record PreparedRequest(byte[] Body, int PromptTokens, int MaxTokens)
{
    public ChatConversation? Conversation { get; init; }
}

/// <summary>
/// Serializes bodies as `vllm bench serve` sends them: "openai" (and "vllm", its alias there) posts {model, prompt,
/// max_tokens, …} to /v1/completions (the prompt as token ids when the dataset gives ids, as traces do), "openai-chat"
/// posts {model, messages, max_completion_tokens, …} to /v1/chat/completions; both stream with
/// stream_options.include_usage, and ignore_eos only when asked. --logprobs N is sent as logprobs: N to completions
/// (vLLM's) and as logprobs: true, top_logprobs: N to chat (vLLM's chat client sends none; ours asks, so the server
/// computes what was asked for).
/// </summary>
public sealed class RequestBodyBuilder(string backend, string model, bool ignoreEos, SamplingOverrides sampling, int? logprobs = null)
{
    public static readonly IReadOnlyList<string> Backends = ["openai", "vllm", "openai-chat"];

    /// <summary>True for the backends that post to /v1/chat/completions.</summary>
    public static bool IsChat(string backend) => backend == "openai-chat";

    public PreparedRequest Build(BenchRequest request)
    {
        byte[] body = IsChat(backend)
            ? ChatBody([new ChatTurn("user", request.Prompt)], request.ExpectedOutputTokens)
            : Serialize(request.Prompt.Length + 256, w =>
            {
                if (request.PromptIds is { } ids)
                {
                    w.WriteStartArray("prompt");
                    foreach (var id in ids)
                        w.WriteNumberValue(id);
                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("prompt", request.Prompt);
                }

                w.WriteNumber("max_tokens", request.ExpectedOutputTokens);
            });
        return new PreparedRequest(body, request.PromptTokens, request.ExpectedOutputTokens)
        {
            Conversation = request.LaterTurns is { Count: > 0 } later ? new ChatConversation(this, request, later) : null,
        };
    }

    /// <summary>A chat request of these messages, in order.</summary>
    internal byte[] ChatBody(IReadOnlyList<ChatTurn> messages, int maxTokens) =>
        Serialize(messages.Sum(m => m.Content.Length) + 256, w =>
        {
            w.WriteStartArray("messages");
            foreach (var message in messages)
            {
                w.WriteStartObject();
                w.WriteString("role", message.Role);
                w.WriteString("content", message.Content);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("max_completion_tokens", maxTokens);
        });

    private byte[] Serialize(int sizeHint, Action<Utf8JsonWriter> writeInput)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            writeInput(w);
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
            if (sampling.MinP is { } minP)
                w.WriteNumber("min_p", minP);
            if (logprobs is { } count)
            {
                if (IsChat(backend))
                {
                    w.WriteBoolean("logprobs", true);
                    w.WriteNumber("top_logprobs", count);
                }
                else
                {
                    w.WriteNumber("logprobs", count);
                }
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>Sampling values sent only when given (--temperature, --top-p, --top-k, --min-p), as vLLM sends them.</summary>
public sealed record SamplingOverrides(double? Temperature = null, double? TopP = null, int? TopK = null, double? MinP = null)
{
    public static readonly SamplingOverrides None = new();
}
