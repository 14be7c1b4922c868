namespace LlmBench.Cli.Tests.Generate;

/// <summary>Every mistake a person can make with `llmbench generate`: exit 1, one line on stderr, no stack trace, nothing on stdout.</summary>
[Collection(ConsoleCapture.Name)]
public class GenerateErrorTests
{
    private const string Tiny = "{tiny}";
    private const string WithTokenizer = "{tokenizer}";

    public static TheoryData<string, string[]> Mistakes() => new()
    {
        { "either --prompt TEXT or --prompt-ids 1,2,3, not both", ["--prompt", "hi", "--prompt-ids", "1"] },
        { "Give the prompt", ["--max-tokens", "4"] },
        { "--device must be auto, cpu, cuda or cuda:N, got 'gpu'", ["--prompt-ids", "1", "--device", "gpu"] },
        { "--device must be", ["--prompt-ids", "1", "--device", "cuda:x"] },
        { "--load-format must be auto, safetensors or dummy", ["--prompt-ids", "1", "--load-format", "gguf"] },
        { "--chat needs a tokenizer, and tiny-qwen3 has none", ["--model", Tiny, "--prompt", "hi", "--chat"] },
        { "--prompt needs a tokenizer", ["--model", Tiny, "--prompt", "hi"] },
        { "--chat applies the chat template to --prompt text", ["--prompt-ids", "1", "--chat"] },
        { "chat template is not ChatML", ["--model", WithTokenizer, "--prompt", "hi", "--chat"] },
        { "models--NoSuchOrg--no-such-model", ["--model", "NoSuchOrg/no-such-model", "--prompt-ids", "1"] },
        { "--prompt-ids item 2 is 'x'", ["--prompt-ids", "1,x"] },
        { "--prompt-ids item 2 is ''", ["--prompt-ids", "1,,2"] },
        { "--prompt-ids item 1 is '-3'", ["--prompt-ids", "-3"] },
        { "--prompt-ids is empty", ["--prompt-ids", ""] },
        { "temperature must be 0 (greedy) or positive, got -1", ["--prompt-ids", "1", "--temperature", "-1"] },
        { "top_p must be in (0, 1], got 0", ["--prompt-ids", "1", "--top-p", "0"] },
        { "top_p must be in (0, 1], got 1.5", ["--prompt-ids", "1", "--top-p", "1.5"] },
        { "top_k must be -1 or 0", ["--prompt-ids", "1", "--top-k", "-2"] },
        { "max_tokens must be at least 1", ["--prompt-ids", "1", "--max-tokens", "0"] },
        { "--stop was given an empty string", ["--prompt-ids", "1", "--stop", ""] },
        { "--stop matches text, and tiny-qwen3 has no tokenizer", ["--model", Tiny, "--prompt-ids", "1", "--stop", "x"] },
        { "has id 5000, outside the model's vocabulary of 1024 ids.", ["--model", Tiny, "--prompt-ids", "5,5000"] },
        { "The prompt has 1100 tokens but tiny-qwen3 runs at most 1024 tokens", ["--model", Tiny, "--prompt-ids", string.Join(',', Enumerable.Repeat(7, 1100))] },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task AMistake_IsOneLine_AndExitCode1(string expected, string[] args)
    {
        using var withTokenizer = new TokenizedTinyModel();
        var tiny = GenerateFixtures.GoldenDirectory("tiny-qwen3");
        string[] command = ["generate", .. args.Select(a => a == Tiny ? tiny : a == WithTokenizer ? withTokenizer.Directory : a)];

        var (exit, stdout, stderr) = await ConsoleCapture.RunAsync(command);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownModel_SaysWhereItLooked_AndSuggestsDummyWeights()
    {
        var (exit, _, stderr) = await ConsoleCapture.RunAsync("generate", "--model", "NoSuchOrg/no-such-model", "--prompt-ids", "1");
        Assert.Equal(1, exit);
        Assert.Contains(Path.Combine("hub", "models--NoSuchOrg--no-such-model"), stderr, StringComparison.Ordinal);
        Assert.Contains("--load-format dummy", stderr, StringComparison.Ordinal);
    }
}
