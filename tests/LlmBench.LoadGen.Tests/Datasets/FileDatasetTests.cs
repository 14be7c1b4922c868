using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Datasets;

public sealed class FileDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmbench-ds-").FullName;
    private readonly PairTokenizer _tokenizer = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Sonnet_prompts_start_with_the_instruction_and_the_shared_lines_and_fit_the_length()
    {
        var options = new DatasetOptions { Name = "sonnet", NumPrompts = 30, SonnetInputLength = 400, SonnetPrefixLength = 150, SonnetOutputLength = 20 };
        var requests = new SonnetDataset(_tokenizer).Sample(options);
        var lines = SonnetDataset.LoadLines();

        Assert.Equal(168, lines.Length);
        Assert.All(requests, r => Assert.StartsWith(SonnetDataset.Instruction + lines[0] + lines[1], r.Prompt, StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal(_tokenizer.Encode(r.Prompt).Length, r.PromptTokens));
        Assert.InRange(requests.Average(r => r.PromptTokens), 340, 460);
        Assert.All(requests, r => Assert.Equal(20, r.ExpectedOutputTokens));
        Assert.True(requests.Select(r => r.Prompt).Distinct().Count() > 25);
    }

    [Fact]
    public void ShareGpt_keeps_first_two_turns_and_filters_by_length()
    {
        var longText = string.Concat(Enumerable.Repeat("x ", 1100));
        var path = Write("sg.json", $$"""
            [
              {"id": "a", "conversations": [{"from": "human", "value": "what is the answer"}, {"from": "gpt", "value": "forty two is it"}]},
              {"id": "short", "conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello there friend"}]},
              {"id": "long", "conversations": [{"from": "human", "value": "{{longText}}"}, {"from": "gpt", "value": "ok ok ok ok"}]},
              {"id": "one-turn", "conversations": [{"from": "human", "value": "lonely question"}]},
              {"id": "b", "conversations": [{"from": "human", "value": "tell me more please"}, {"from": "gpt", "value": "sure"}]}
            ]
            """);
        var requests = new ShareGptDataset(_tokenizer).Sample(new DatasetOptions { Name = "sharegpt", Path = path, NumPrompts = 10 });

        Assert.Equal(10, requests.Count);
        // "hi" is under 4 tokens, the long one over 1024, "sure" (2 tokens) too short an answer: one conversation is left.
        Assert.Equal(["what is the answer"], requests.Select(r => r.Prompt).Distinct());
        var answer = requests.First(r => r.Prompt == "what is the answer");
        Assert.Equal(_tokenizer.Encode("forty two is it").Length, answer.ExpectedOutputTokens);
    }

    [Fact]
    public void ShareGpt_output_length_override_applies()
    {
        var path = Write("sg.json", """[{"conversations": [{"from": "human", "value": "what is the answer"}, {"from": "gpt", "value": "x"}]}]""");
        var requests = new ShareGptDataset(_tokenizer).Sample(new DatasetOptions { Name = "sharegpt", Path = path, NumPrompts = 2, SharegptOutputLength = 77 });

        Assert.All(requests, r => Assert.Equal(77, r.ExpectedOutputTokens));
    }

    [Fact]
    public void Custom_jsonl_reads_prompts_and_per_entry_output_lengths()
    {
        var path = Write("c.jsonl", "{\"prompt\": \"alpha beta\"}\n\n{\"prompt\": \"gamma\", \"output_tokens\": 9}\n");
        var requests = new CustomDataset(_tokenizer).Sample(new DatasetOptions { Name = "custom", Path = path, NumPrompts = 2, CustomOutputLength = 33 });

        Assert.Equal(33, requests.Single(r => r.Prompt == "alpha beta").ExpectedOutputTokens);
        Assert.Equal(9, requests.Single(r => r.Prompt == "gamma").ExpectedOutputTokens);
    }

    [Fact]
    public void Custom_bad_line_names_the_file_and_line()
    {
        var path = Write("bad.jsonl", "{\"prompt\": \"ok\"}\n{not json}\n");
        var ex = Assert.Throws<UserErrorException>(() => new CustomDataset(_tokenizer).Sample(new DatasetOptions { Name = "custom", Path = path, NumPrompts = 1 }));

        Assert.Contains("bad.jsonl:2", ex.Message);
    }

    [Fact]
    public void Missing_file_is_a_user_error_naming_the_flag()
    {
        var ex = Assert.Throws<UserErrorException>(() =>
            DatasetFactory.Sample(new DatasetOptions { Name = "sharegpt", Path = Path.Combine(_dir, "nope.json") }, _tokenizer, 100));

        Assert.Contains("--dataset-path", ex.Message);
    }

    [Theory]
    [InlineData("sharegpt", null)]
    [InlineData("random", "x.json")]
    [InlineData("bogus", null)]
    public void Inconsistent_dataset_flags_are_rejected(string name, string? path)
    {
        Assert.Throws<ArgumentException>(() => new DatasetOptions { Name = name, Path = path }.Validate());
    }
}
