using System.Text.Json;

namespace LlmBench.Text.Tokenization;

/// <summary>The parts of tokenizer_config.json the tokenizer uses: special tokens by name and the chat template.</summary>
public sealed record TokenizerConfig
{
    public static TokenizerConfig Empty { get; } = new();

    public string? EosToken { get; init; }
    public string? PadToken { get; init; }
    public string? BosToken { get; init; }

    /// <summary>The model expects <see cref="BosToken"/> before the prompt (add_bos_token; Qwen: false).</summary>
    public bool AddBosToken { get; init; }

    /// <summary>The Jinja chat template as written; only recognised, never executed (see <see cref="ChatMlTemplate"/>).</summary>
    public string? ChatTemplate { get; init; }

    public static TokenizerConfig Read(byte[] utf8Json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UserErrorException($"{source} is not a JSON object.");
            }

            return new TokenizerConfig
            {
                EosToken = TokenName(root, "eos_token"),
                PadToken = TokenName(root, "pad_token"),
                BosToken = TokenName(root, "bos_token"),
                AddBosToken = root.TryGetProperty("add_bos_token", out JsonElement add) && add.ValueKind == JsonValueKind.True,
                ChatTemplate = Template(root),
            };
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{source} is not valid JSON ({ex.Message}).", ex);
        }
    }

    // A special token is a string, or (older files) an object whose "content" is the string.
    private static string? TokenName(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out JsonElement c) => c.GetString(),
            _ => null,
        };
    }

    // chat_template is a string, or a list of {name, template} of which "default" is the one to use.
    private static string? Template(JsonElement root)
    {
        if (!root.TryGetProperty("chat_template", out JsonElement t))
        {
            return null;
        }

        if (t.ValueKind == JsonValueKind.String)
        {
            return t.GetString();
        }

        if (t.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement named in t.EnumerateArray())
            {
                if (named.TryGetProperty("name", out JsonElement n) && n.GetString() == "default"
                    && named.TryGetProperty("template", out JsonElement body))
                {
                    return body.GetString();
                }
            }
        }

        return null;
    }
}
