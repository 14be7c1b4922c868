using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Datasets;

public sealed class TraceDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmbench-trace-").FullName;
    private readonly PairTokenizer _tokenizer = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<BenchRequest> Sample(string name, string file, string content, int prompts = 100)
    {
        var path = Path.Combine(_dir, file);
        File.WriteAllText(path, content);
        return DatasetFactory.Sample(new DatasetOptions { Name = name, Path = path, NumPrompts = prompts, Seed = 1 }, _tokenizer, PairTokenizer.OrdinaryIdLimit);
    }

    [Fact]
    public void Mooncake_entries_share_the_blocks_of_their_hash_ids_and_keep_exact_lengths_and_times()
    {
        var requests = Sample(TraceDatasets.Mooncake, "trace.jsonl", """
            {"timestamp": 1000, "input_length": 1200, "output_length": 30, "hash_ids": [0, 1, 2]}
            {"timestamp": 1250, "input_length": 700, "output_length": 5, "hash_ids": [0, 7]}

            {"timestamp": 3000, "input_length": 100, "output_length": 9, "hash_ids": [7]}
            {"input_length": 10, "output_length": 1}
            """);

        Assert.Equal(4, requests.Count);
        Assert.Equal([1200, 700, 100, 10], requests.Select(r => r.PromptIds!.Length));
        Assert.Equal([1200, 700, 100, 10], requests.Select(r => r.PromptTokens));
        Assert.Equal([30, 5, 9, 1], requests.Select(r => r.ExpectedOutputTokens));
        Assert.Equal([0.0, 0.25, 2.0, null], requests.Select(r => r.TimestampSeconds));
        // Hash id 0 is the first 512 tokens of both; the second entry's next block is 7's, which the third starts with.
        Assert.Equal(requests[0].PromptIds![..512], requests[1].PromptIds![..512]);
        Assert.NotEqual(requests[0].PromptIds![512..700], requests[1].PromptIds![512..700]);
        Assert.Equal(requests[1].PromptIds![512..612], requests[2].PromptIds!);
        Assert.Equal(_tokenizer.Decode(requests[0].PromptIds!), requests[0].Prompt);
    }

    [Fact]
    public void BurstGpt_rows_keep_their_order_and_times_and_failed_rows_are_left_out()
    {
        var requests = Sample(TraceDatasets.BurstGpt, "burst.csv", """
            Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
            5,ChatGPT,472,18,490,Conversation log
            45,ChatGPT,1087,0,1087,Conversation log
            118,GPT-4,417,276,693,API log
            """, prompts: 2);

        Assert.Equal([472, 417], requests.Select(r => r.PromptTokens));
        Assert.Equal([18, 276], requests.Select(r => r.ExpectedOutputTokens));
        Assert.Equal([0.0, 113.0], requests.Select(r => r.TimestampSeconds));
    }

    [Theory]
    [InlineData(TraceDatasets.Mooncake, "t.jsonl", "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 2}\n{\"timestamp\": 1, \"output_length\": 2}", "line 2")]
    [InlineData(TraceDatasets.Mooncake, "t.jsonl", "{\"timestamp\": 0, \"input_length\": 0, \"output_length\": 2}", "input_length must be at least 1")]
    [InlineData(TraceDatasets.BurstGpt, "b.csv", "Timestamp,Model,Request tokens\n1,x,2", "Response tokens")]
    [InlineData(TraceDatasets.BurstGpt, "b.csv", "Timestamp,Model,Request tokens,Response tokens\n1,x,two,3", "line 2")]
    public void A_malformed_trace_is_one_sentence_naming_the_place(string name, string file, string content, string expected)
    {
        var error = Assert.Throws<UserErrorException>(() => Sample(name, file, content));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
