using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using LlmBench.Server.Protocol;

namespace LlmBench.Server.Http;

/// <summary>
/// Writes OpenAI stream chunks as server-sent events ("data: {json}\n\n") straight into the response
/// pipe with one reusable Utf8JsonWriter: the per-token path builds no objects but the text itself.
/// Completions chunks are "text_completion" objects, chat chunks "chat.completion.chunk" with a delta.
/// </summary>
public sealed class SseChunkWriter : IDisposable
{
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly long _created;
    private readonly string _model;
    private readonly bool _chat;

    public SseChunkWriter(PipeWriter pipe, string id, long created, string model, bool chat)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _id = id;
        _created = created;
        _model = model;
        _chat = chat;
    }

    /// <summary>Chat streams open with the assistant role and empty content, as OpenAI's do.</summary>
    public void WriteRoleChunk() => WriteChoice(text: "", finishReason: null, role: "assistant");

    public void WriteToken(string text, string? finishReason) =>
        WriteChoice(_chat && finishReason is not null && text.Length == 0 ? null : text, finishReason, role: null);

    /// <summary>A token chunk whose logprobs carry the token's (<see cref="CompletionLogprobs"/> or <see cref="ChatLogprobs"/>).</summary>
    public void WriteToken(string text, string? finishReason, object logprobs) =>
        WriteChoice(_chat && finishReason is not null && text.Length == 0 ? null : text, finishReason, role: null, logprobs);

    public void WriteUsage(int promptTokens, int completionTokens)
    {
        Begin();
        _json.WriteStartArray("choices");
        _json.WriteEndArray();
        _json.WriteStartObject("usage");
        _json.WriteNumber("prompt_tokens", promptTokens);
        _json.WriteNumber("completion_tokens", completionTokens);
        _json.WriteNumber("total_tokens", promptTokens + completionTokens);
        _json.WriteEndObject();
        End();
    }

    public void WriteError(OpenAiException error)
    {
        Prefix();
        _json.WriteStartObject();
        _json.WriteStartObject("error");
        _json.WriteString("message", error.Message);
        _json.WriteString("type", error.Type);
        if (error.Param is null)
            _json.WriteNull("param");
        else
            _json.WriteString("param", error.Param);
        _json.WriteNumber("code", error.StatusCode);
        _json.WriteEndObject();
        _json.WriteEndObject();
        Suffix();
    }

    public void WriteDone() => _pipe.Write("data: [DONE]\n\n"u8);

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => _pipe.FlushAsync(cancellationToken);

    private void WriteChoice(string? text, string? finishReason, string? role, object? logprobs = null)
    {
        Begin();
        _json.WriteStartArray("choices");
        _json.WriteStartObject();
        _json.WriteNumber("index", 0);
        if (_chat)
        {
            _json.WriteStartObject("delta");
            if (role is not null)
                _json.WriteString("role", role);
            if (text is not null)
                _json.WriteString("content", text);
            _json.WriteEndObject();
        }
        else
        {
            _json.WriteString("text", text ?? "");
        }

        _json.WritePropertyName("logprobs");
        switch (logprobs)
        {
            case CompletionLogprobs completion:
                JsonSerializer.Serialize(_json, completion, ServerJsonContext.Default.CompletionLogprobs);
                break;
            case ChatLogprobs chatLogprobs:
                JsonSerializer.Serialize(_json, chatLogprobs, ServerJsonContext.Default.ChatLogprobs);
                break;
            default:
                _json.WriteNullValue();
                break;
        }

        if (finishReason is null)
            _json.WriteNull("finish_reason");
        else
            _json.WriteString("finish_reason", finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        End();
    }

    private void Begin()
    {
        Prefix();
        _json.WriteStartObject();
        _json.WriteString("id", _id);
        _json.WriteString("object", _chat ? "chat.completion.chunk" : "text_completion");
        _json.WriteNumber("created", _created);
        _json.WriteString("model", _model);
    }

    private void End()
    {
        _json.WriteEndObject();
        Suffix();
    }

    private void Prefix()
    {
        _pipe.Write("data: "u8);
        _json.Reset(_pipe);
    }

    private void Suffix()
    {
        _json.Flush();
        _pipe.Write("\n\n"u8);
    }

    public void Dispose() => _json.Dispose();
}
