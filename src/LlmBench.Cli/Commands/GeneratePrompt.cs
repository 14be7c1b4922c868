using System.Globalization;
using LlmBench.Text.Tokenization;

namespace LlmBench.Cli;

/// <summary>
/// The prompt of `llmbench generate`: exactly one of --prompt TEXT or --prompt-ids 1,2,3, and --chat to wrap text
/// in the model's chat template. Checked in two parts: the flags before the model loads (so a typo costs no load
/// time), the tokens once the tokenizer is known.
/// </summary>
internal sealed record GeneratePrompt(string? Text, int[]? Ids, bool Chat)
{
    /// <summary>Checks the combination of flags and parses --prompt-ids.</summary>
    public static GeneratePrompt FromFlags(string? text, string? ids, bool chat)
    {
        if (text is not null && ids is not null)
            throw new UserErrorException("Give either --prompt TEXT or --prompt-ids 1,2,3, not both.");
        if (text is null && ids is null)
            throw new UserErrorException("Give the prompt: --prompt TEXT or --prompt-ids 1,2,3.");
        if (chat && ids is not null)
            throw new UserErrorException("--chat applies the chat template to --prompt text; token ids from --prompt-ids are used as given.");
        if (text is not null)
            return new GeneratePrompt(text, null, chat);
        return new GeneratePrompt(null, ParseIds(ids!), chat);
    }

    /// <summary>"1, 2,3" → [1, 2, 3]; anything else is one sentence naming the bad item.</summary>
    public static int[] ParseIds(string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items is [""])
            throw new UserErrorException("--prompt-ids is empty; give at least one token id, e.g. --prompt-ids 1,2,3.");
        var ids = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!int.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
                throw new UserErrorException(
                    $"--prompt-ids item {i + 1} is '{items[i]}', not a token id; give non-negative integers separated by commas, e.g. 1,2,3.");
        }
        return ids;
    }

    /// <summary>The token ids to run; <paramref name="tokenizer"/> is null when the model has none.</summary>
    public int[] Tokenize(ByteLevelBpeTokenizer? tokenizer, string modelName)
    {
        if (Ids is not null)
            return Ids;
        if (tokenizer is null)
        {
            var flag = Chat ? "--chat" : "--prompt";
            throw new UserErrorException(
                $"{flag} needs a tokenizer, and {modelName} has none (no tokenizer.json beside its config.json, and its vocabulary " +
                "does not fit the built-in Qwen3 tokenizer); give token ids with --prompt-ids instead.");
        }
        var text = Chat ? tokenizer.ApplyChatTemplate([new ChatMessage("user", Text!)]) : Text!;
        var ids = tokenizer.Encode(text);
        if (ids.Length == 0)
            throw new UserErrorException("The prompt is empty; give some text with --prompt.");
        return ids;
    }
}
