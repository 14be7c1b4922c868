using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Datasets;

public sealed class ShareGptMultiTurnTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmbench-sg-").FullName;
    private readonly PairTokenizer _tokenizer = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Multi_turn_keeps_every_pair_in_order_while_the_chat_stays_within_2048_tokens()
    {
        var big = string.Concat(Enumerable.Repeat("z ", 1000));
        var path = Path.Combine(_dir, "sg.json");
        File.WriteAllText(path, $$"""
            [
              {"id": "three", "conversations": [
                {"from": "human", "value": "first question here"}, {"from": "gpt", "value": "first answer text"},
                {"from": "human", "value": "second question"}, {"from": "gpt", "value": "second answer"},
                {"from": "human", "value": "third question"}, {"from": "gpt", "value": "third"}]},
              {"id": "capped", "conversations": [
                {"from": "human", "value": "opening question"}, {"from": "gpt", "value": "opening answer"},
                {"from": "human", "value": "{{big}}"}, {"from": "gpt", "value": "{{big}}"}]}
            ]
            """);
        DatasetOptions Options(bool multiTurn) => new() { Name = "sharegpt", Path = path, NumPrompts = 2, Seed = 0, MultiTurn = multiTurn };

        var requests = new ShareGptDataset(_tokenizer).Sample(Options(multiTurn: true));
        var three = requests.Single(r => r.Prompt == "first question here");
        Assert.Equal(["second question", "third question"], three.LaterTurns!.Select(t => t.Prompt));
        Assert.Equal([_tokenizer.Encode("second answer").Length, _tokenizer.Encode("third").Length], three.LaterTurns!.Select(t => t.ExpectedOutputTokens));
        Assert.Empty(requests.Single(r => r.Prompt == "opening question").LaterTurns!);

        Assert.All(new ShareGptDataset(_tokenizer).Sample(Options(multiTurn: false)), r => Assert.Null(r.LaterTurns));
    }
}
