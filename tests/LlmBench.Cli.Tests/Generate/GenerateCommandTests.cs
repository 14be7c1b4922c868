using System.Text.Json;

namespace LlmBench.Cli.Tests.Generate;

/// <summary>`llmbench generate` run in-process on the golden fixtures, stdout and stderr captured.</summary>
[Collection(ConsoleCapture.Name)]
public class GenerateCommandTests
{
    /// <summary>tiny-qwen3's first case: prompt [203]; transformers' greedy continuation starts 987, 987, 1, 1, 670, 171, 579.</summary>
    private static readonly GoldenCase First = GenerateFixtures.Cases("tiny-qwen3")[0];

    public static TheoryData<string, int> Fp32GoldenCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in new[] { "tiny-qwen3", "tiny-qwen2" })
        {
            for (int i = 0; i < GenerateFixtures.Cases(model).Length; i++)
                data.Add(model, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Fp32GoldenCases))]
    public async Task PromptIdsJson_PrintsTransformersGreedyIds(string model, int index)
    {
        var golden = GenerateFixtures.Cases(model)[index];
        var (exit, stdout, _) = await ConsoleCapture.RunAsync("generate", "--model", GenerateFixtures.GoldenDirectory(model),
            "--prompt-ids", GenerateFixtures.Ids(golden.PromptIds), "--max-tokens", "24", "--temperature", "0", "--ignore-eos", "--json");

        Assert.Equal(0, exit);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(golden.PromptIds, GenerateFixtures.IntArray(root.GetProperty("prompt_ids")));
        Assert.Equal(golden.GreedyIds, GenerateFixtures.IntArray(root.GetProperty("output_ids")));
        Assert.Equal("length", root.GetProperty("finish_reason").GetString());
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.False(root.GetProperty("dummy_weights").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("text").ValueKind);
        Assert.StartsWith("cpu", root.GetProperty("device").GetString(), StringComparison.Ordinal);
        var timings = root.GetProperty("timings");
        Assert.True(timings.GetProperty("startup_ms").GetDouble() > 0);
        double ttft = timings.GetProperty("ttft_ms").GetDouble();
        Assert.True(ttft > 0);
        Assert.True(timings.GetProperty("total_ms").GetDouble() >= ttft);
        Assert.True(timings.GetProperty("decode_tokens_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task MaxTokens_EndsWithLength_AndTheTextOfThoseTokens()
    {
        using var model = new TokenizedTinyModel();
        var root = await GenerateJson(model.Directory, "--max-tokens", "7");
        Assert.Equal(First.GreedyIds[..7], GenerateFixtures.IntArray(root.GetProperty("output_ids")));
        Assert.Equal(TokenizedTinyModel.Text(First.GreedyIds[..7]), root.GetProperty("text").GetString());
        Assert.Equal("length", root.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task StopString_EndsAtTheTokenThatCompletesIt_AndIsLeftOutOfTheText()
    {
        using var model = new TokenizedTinyModel();
        var root = await GenerateJson(model.Directory, "--stop", "<670>");
        // 670 is the fifth token: the ids run through it, the text stops right before it.
        Assert.Equal(First.GreedyIds[..5], GenerateFixtures.IntArray(root.GetProperty("output_ids")));
        Assert.Equal(TokenizedTinyModel.Text(First.GreedyIds[..4]), root.GetProperty("text").GetString());
        Assert.Equal("stop", root.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task RepeatedStop_TheFirstToAppearWins_EvenAcrossTokenBoundaries()
    {
        using var model = new TokenizedTinyModel();
        // "<987><987><1>…": "7><1" spans the second and third tokens and appears long before "<579>".
        var root = await GenerateJson(model.Directory, "--stop", "<579>", "--stop", "7><1");
        Assert.Equal(First.GreedyIds[..3], GenerateFixtures.IntArray(root.GetProperty("output_ids")));
        Assert.Equal("<987><98", root.GetProperty("text").GetString());
        Assert.Equal("stop", root.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Eos_EndsGeneration_UnlessIgnoreEos()
    {
        using var model = new TokenizedTinyModel(eosTokenId: 670);
        var stopped = await GenerateJson(model.Directory, "--max-tokens", "24");
        Assert.Equal(First.GreedyIds[..5], GenerateFixtures.IntArray(stopped.GetProperty("output_ids")));
        Assert.Equal("stop", stopped.GetProperty("finish_reason").GetString());

        var ignored = await GenerateJson(model.Directory, "--max-tokens", "24", "--ignore-eos");
        Assert.Equal(First.GreedyIds, GenerateFixtures.IntArray(ignored.GetProperty("output_ids")));
        Assert.Equal("length", ignored.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Seed_MakesSamplingRepeatable()
    {
        var directory = GenerateFixtures.GoldenDirectory("tiny-qwen3");
        string[] args = ["generate", "--model", directory, "--prompt-ids", "203", "--max-tokens", "24", "--temperature", "1.5", "--ignore-eos", "--json"];
        var a = await OutputIds([.. args, "--seed", "7"]);
        var again = await OutputIds([.. args, "--seed", "7"]);
        var other = await OutputIds([.. args, "--seed", "8"]);
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
        Assert.NotEqual(First.GreedyIds, a);
    }

    [Fact]
    public async Task WithoutJson_StdoutHoldsOnlyTheText_AndStderrTheSummary()
    {
        using var model = new TokenizedTinyModel();
        var (exit, stdout, stderr) = await ConsoleCapture.RunAsync("generate", "--model", model.Directory, "--prompt-ids", "203",
            "--max-tokens", "7", "--temperature", "0");
        Assert.Equal(0, exit);
        Assert.Equal(TokenizedTinyModel.Text(First.GreedyIds[..7]) + Environment.NewLine, stdout);
        Assert.Contains("1 prompt + 7 output tokens, finish length", stderr, StringComparison.Ordinal);
        Assert.Contains("decode ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutATokenizer_PrintsTheIds()
    {
        var (exit, stdout, _) = await ConsoleCapture.RunAsync("generate", "--model", GenerateFixtures.GoldenDirectory("tiny-qwen3"),
            "--prompt-ids", "203", "--max-tokens", "5", "--temperature", "0");
        Assert.Equal(0, exit);
        Assert.Equal(GenerateFixtures.Ids(First.GreedyIds[..5]) + Environment.NewLine, stdout);
    }

    [Fact]
    public async Task DummyWeights_AreSaidPlainly()
    {
        var (exit, stdout, stderr) = await ConsoleCapture.RunAsync("generate", "--model", GenerateFixtures.GoldenDirectory("tiny-qwen3"),
            "--load-format", "dummy", "--prompt-ids", "203", "--max-tokens", "24", "--temperature", "0", "--ignore-eos", "--json", "--device", "auto");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("dummy_weights").GetBoolean());
        Assert.NotEqual(First.GreedyIds, GenerateFixtures.IntArray(json.RootElement.GetProperty("output_ids")));
        Assert.Contains("dummy weights", stderr, StringComparison.Ordinal);
        // This build has no CUDA engine, so auto says why it runs on the CPU.
        Assert.Contains("running on the CPU engine", stderr, StringComparison.Ordinal);
    }

    /// <summary>Greedy from tiny-qwen3's first prompt, --json, with <paramref name="extra"/> flags.</summary>
    private static async Task<JsonElement> GenerateJson(string modelDirectory, params string[] extra)
    {
        string[] args = ["generate", "--model", modelDirectory, "--prompt-ids", "203", "--temperature", "0", "--json", .. extra];
        var (exit, stdout, stderr) = await ConsoleCapture.RunAsync(args);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.Clone();
    }

    private static async Task<int[]> OutputIds(string[] args)
    {
        var (exit, stdout, stderr) = await ConsoleCapture.RunAsync(args);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        return GenerateFixtures.IntArray(json.RootElement.GetProperty("output_ids"));
    }
}
