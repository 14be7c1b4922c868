using System.Text.Json;
using LlmBench.Engine.Loading;
using LlmBench.Engine.Tests.Formats;

namespace LlmBench.Engine.Tests.Golden;

/// <summary>One prompt of golden.json: transformers' 24 greedy tokens and its logits at the last prompt position.</summary>
internal sealed record GoldenCase(int[] PromptIds, int[] GreedyIds, float[] LastLogits);

/// <summary>A model folder of tests/fixtures/golden (saved by transformers) with its golden.json.</summary>
internal sealed record GoldenFixture(string Name, string Directory, string DType, GoldenCase[] Cases)
{
    public static GoldenFixture Read(string name)
    {
        var directory = ConfigTestFixtures.GoldenDirectory(name);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "golden.json")));
        var root = json.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new GoldenCase(
            [.. c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32())],
            [.. c.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32())],
            [.. c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle())])).ToArray();
        return new GoldenFixture(name, directory, root.GetProperty("dtype").GetString()!, cases);
    }

    /// <summary>Opens the folder the way `llmbench generate --model DIR --load-format safetensors` does.</summary>
    public LoadedModel Load() => ModelLoader.Load(new ModelLoadOptions
    {
        Model = Directory,
        Format = LoadFormat.Safetensors,
        // An empty cache: a directory must resolve as a directory, never through the HF cache.
        Environment = HuggingFaceEnvironment.WithHfHome(Path.Combine(Path.GetTempPath(), "llmbench-no-hf-cache")),
    });

    /// <summary>Largest logit minus the second largest.</summary>
    public static float TopTwoGap(ReadOnlySpan<float> logits)
    {
        float first = float.NegativeInfinity, second = float.NegativeInfinity;
        foreach (float v in logits)
        {
            if (v > first)
                (first, second) = (v, first);
            else if (v > second)
                second = v;
        }
        return first - second;
    }
}
