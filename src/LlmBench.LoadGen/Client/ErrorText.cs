using System.Text;
using System.Text.Json;

namespace LlmBench.LoadGen.Client;

/// <summary>Short error descriptions from a server's body: OpenAI's error.message when there is one, else the text, clipped.</summary>
internal static class ErrorText
{
    public const int MaxChars = 300;

    public static string Describe(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message))
                    return Clip(message.ToString());
                return Clip(error.ToString());
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw text says what happened.
        }

        return Clip(Encoding.UTF8.GetString(body).Trim());
    }

    private static string Clip(string text) => text.Length <= MaxChars ? text : text[..MaxChars] + "…";
}
