using System.Text.Json;

namespace LlmBench.LoadGen.Client;

/// <summary>What one streamed OpenAI chunk says, read without building strings (text is copied into a caller buffer).</summary>
public struct StreamChunk
{
    /// <summary>The chunk carries at least one choice (it counts for TTFT/ITL, as vLLM counts it).</summary>
    public bool HasChoices;

    /// <summary>usage.completion_tokens, when the chunk has a usage object.</summary>
    public int? CompletionTokens;

    /// <summary>The chunk is an error object (some servers report failures mid-stream this way).</summary>
    public bool IsError;

    /// <summary>
    /// Reads a completions ("choices[0].text") or chat ("choices[0].delta.content") chunk. The first
    /// choice's text is appended to <paramref name="text"/> at <paramref name="textLength"/>, growing it
    /// through <paramref name="grow"/> when needed. Throws <see cref="JsonException"/> on malformed JSON.
    /// </summary>
    public static StreamChunk Read(ReadOnlySpan<byte> json, ref char[] text, ref int textLength, Func<char[], int, char[]> grow)
    {
        var chunk = default(StreamChunk);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A stream chunk must be a JSON object.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                    chunk.HasChoices = ReadChoices(ref reader, ref text, ref textLength, grow);
                else
                    reader.Skip();
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                chunk.CompletionTokens = ReadIntProperty(ref reader, "completion_tokens"u8) ?? chunk.CompletionTokens;
            }
            else
            {
                chunk.IsError |= reader.ValueTextEquals("error"u8);
                reader.Read();
                reader.Skip();
            }
        }

        return chunk;
    }

    private static bool ReadChoices(ref Utf8JsonReader reader, ref char[] text, ref int textLength, Func<char[], int, char[]> grow)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count++ == 0 && reader.TokenType == JsonTokenType.StartObject)
                ReadFirstChoice(ref reader, ref text, ref textLength, grow);
            else
                reader.Skip();
        }

        return count > 0;
    }

    private static void ReadFirstChoice(ref Utf8JsonReader reader, ref char[] text, ref int textLength, Func<char[], int, char[]> grow)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            var isDelta = reader.ValueTextEquals("delta"u8);
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String)
                CopyText(ref reader, ref text, ref textLength, grow);
            else if (isDelta && reader.TokenType == JsonTokenType.StartObject)
                ReadDelta(ref reader, ref text, ref textLength, grow);
            else
                reader.Skip();
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ref char[] text, ref int textLength, Func<char[], int, char[]> grow)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isContent && reader.TokenType == JsonTokenType.String)
                CopyText(ref reader, ref text, ref textLength, grow);
            else
                reader.Skip();
        }
    }

    private static void CopyText(ref Utf8JsonReader reader, ref char[] text, ref int textLength, Func<char[], int, char[]> grow)
    {
        // UTF-8 never takes fewer bytes than UTF-16 chars, so the escaped byte length bounds the text.
        var bound = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (textLength + bound > text.Length)
            text = grow(text, textLength + bound);
        textLength += reader.CopyString(text.AsSpan(textLength));
    }

    private static int? ReadIntProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
                value = n;
            else
                reader.Skip();
        }

        return value;
    }
}
