using System.Text.Json;
using LlmBench.Engine.Loading;

namespace LlmBench.Engine.Cuda.Tests;

/// <summary>The golden fixtures in tests/fixtures/golden: transformers' greedy continuations and last-position logits.</summary>
internal static class Golden
{
    public sealed record Case(int[] PromptIds, int[] GreedyIds, float[] LastLogits);

    public static readonly string[] Models = ["tiny-qwen3", "tiny-qwen3-bf16", "tiny-qwen2"];

    public static string Directory(string model)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "golden", model);
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"tests/fixtures/golden/{model} not found above {AppContext.BaseDirectory}.");
    }

    public static LoadedModel Load(string model) => ModelLoader.Load(new ModelLoadOptions
    {
        Model = Directory(model),
        Environment = HuggingFaceEnvironment.WithHfHome(Path.GetTempPath()),
    });

    public static Case[] Cases(string model)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory(model), "golden.json")));
        return json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray())).ToArray();
    }
}
