using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>The prefix-caching and multi-turn datasets and trace replay, the whole command against `llmbench serve` on the CPU engine.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchServeDatasetsTests(WideModelServer server) : IClassFixture<WideModelServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-datasets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<JsonElement> RunAsync(params string[] more)
    {
        string[] args = ["bench", "serve", "--base-url", server.Run.BaseUrl.ToString(), "--tokenizer", Fixtures.WideQwen3, "--seed", "1",
            "--save-result", "--result-dir", _folder, "--result-filename", "r.json", "--disable-tqdm", .. more];
        var (exit, output, error) = await ConsoleCapture.RunAsync(args);
        Assert.True(exit == 0, error + output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "r.json")));
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Prefix_repetition_runs_num_prompts_over_num_prefixes_per_prefix()
    {
        var result = await RunAsync("--dataset-name", "prefix_repetition", "--num-prompts", "5", "--prefix-repetition-num-prefixes", "2",
            "--prefix-repetition-prefix-len", "20", "--prefix-repetition-suffix-len", "6", "--prefix-repetition-output-len", "2");

        Assert.Equal(4, result.GetProperty("completed").GetInt32());
        Assert.Equal(8, result.GetProperty("total_output_tokens").GetInt32());
        Assert.InRange(result.GetProperty("total_input_tokens").GetInt32(), 4 * 24, 4 * 28);
    }

    [Fact]
    public async Task Multi_turn_sharegpt_sends_every_turn_and_counts_each_as_a_request()
    {
        var path = Path.Combine(_folder, "sg.json");
        File.WriteAllText(path, """
            [
              {"conversations": [{"from": "human", "value": "Tell me about the sea and its waves"}, {"from": "gpt", "value": "The sea is wide and deep."},
                                 {"from": "human", "value": "And the tides, what moves them?"}, {"from": "gpt", "value": "The moon does."}]},
              {"conversations": [{"from": "human", "value": "Name three colours of the rainbow"}, {"from": "gpt", "value": "Red, green and blue."}]}
            ]
            """);

        var result = await RunAsync("--backend", "openai-chat", "--dataset-name", "sharegpt", "--dataset-path", path, "--multi-turn",
            "--num-prompts", "2", "--sharegpt-output-len", "3");

        Assert.Equal(3, result.GetProperty("completed").GetInt32());
        Assert.Equal(0, result.GetProperty("failed").GetInt32());
        Assert.True(result.GetProperty("llmbench").GetProperty("multi_turn").GetBoolean());
        var records = File.ReadAllLines(Path.Combine(_folder, "r.requests.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        Assert.Equal(3, records.Length);
    }

    [Fact]
    public async Task A_mooncake_trace_replays_at_its_timestamps()
    {
        var path = Path.Combine(_folder, "trace.jsonl");
        File.WriteAllText(path, """
            {"timestamp": 0, "input_length": 40, "output_length": 2, "hash_ids": [0]}
            {"timestamp": 400, "input_length": 30, "output_length": 3, "hash_ids": [0]}
            {"timestamp": 900, "input_length": 20, "output_length": 2, "hash_ids": [5]}
            """);

        var result = await RunAsync("--dataset-name", "mooncake_trace", "--dataset-path", path, "--fixed-schedule", "--save-detailed");

        Assert.Equal(3, result.GetProperty("completed").GetInt32());
        Assert.Equal(90, result.GetProperty("total_input_tokens").GetInt32());
        Assert.Equal(7, result.GetProperty("total_output_tokens").GetInt32());
        Assert.True(result.GetProperty("llmbench").GetProperty("fixed_schedule").GetBoolean());
        var starts = result.GetProperty("start_times").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.InRange(starts[1], 0.39, 0.5);
        Assert.InRange(starts[2], 0.89, 1.0);
    }

    [Theory]
    [InlineData("--fixed-schedule", "--fixed-schedule replays a trace's timestamps")]
    [InlineData("--multi-turn", "--multi-turn sends each conversation as a growing chat: use --backend openai-chat")]
    public async Task Flags_that_need_another_dataset_are_one_sentence(string flag, string expected)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("bench", "serve", "--base-url", server.Run.BaseUrl.ToString(), "--tokenizer", Fixtures.WideQwen3, flag);
        Assert.Equal(1, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
