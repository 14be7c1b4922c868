using System.Text.Json;

namespace LlmBench.Cli.Tests.Generate;

/// <summary>A case of golden.json: a prompt and the 24 greedy tokens transformers generated after it.</summary>
public sealed record GoldenCase(int[] PromptIds, int[] GreedyIds);

/// <summary>The golden fixtures (tests/fixtures/golden, saved by HF transformers), found above the test binary.</summary>
internal static class GenerateFixtures
{
    public static string GoldenDirectory(string model)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "golden", model);
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"tests/fixtures/golden/{model} not found above {AppContext.BaseDirectory}.");
    }

    public static GoldenCase[] Cases(string model)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(GoldenDirectory(model), "golden.json")));
        return [.. json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new GoldenCase(
            [.. c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32())],
            [.. c.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32())]))];
    }

    public static string Ids(IEnumerable<int> ids) => string.Join(',', ids);

    public static int[] IntArray(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];
}

/// <summary>
/// tiny-qwen3's weights in a scratch directory, with a tokenizer.json of its own so that text, stop strings and
/// detokenizing can be tested: id i decodes to "&lt;i&gt;" (printable ASCII, which byte-level BPE keeps as is), and
/// optionally a generation_config.json that names an EOS id.
/// </summary>
internal sealed class TokenizedTinyModel : IDisposable
{
    public const int VocabSize = 1024;

    public TokenizedTinyModel(int? eosTokenId = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "llmbench-generate-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var source = GenerateFixtures.GoldenDirectory("tiny-qwen3");
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(source, file), Path.Combine(Directory, file));
        if (eosTokenId is { } eos)
            File.WriteAllText(Path.Combine(Directory, "generation_config.json"), $$"""{"eos_token_id": {{eos}}}""");
        File.WriteAllText(Path.Combine(Directory, "tokenizer.json"), TokenizerJson());
    }

    public string Directory { get; }

    /// <summary>What the tokenizer makes of <paramref name="ids"/>.</summary>
    public static string Text(IEnumerable<int> ids) => string.Concat(ids.Select(id => $"<{id}>"));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A mapping not yet released; the OS cleans temp eventually.
        }
    }

    private static string TokenizerJson()
    {
        var vocab = Enumerable.Range(0, VocabSize).ToDictionary(id => $"<{id}>", id => id);
        var root = new Dictionary<string, object?>
        {
            ["added_tokens"] = Array.Empty<object>(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = true },
            ["decoder"] = new { type = "ByteLevel" },
            ["model"] = new { type = "BPE", vocab, merges = Array.Empty<string[]>() },
        };
        return JsonSerializer.Serialize(root);
    }
}
