using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Datasets;

public class PrefixRepetitionDatasetTests
{
    private readonly PairTokenizer _tokenizer = new();

    private IReadOnlyList<BenchRequest> Sample(int prompts, int prefixes, int prefixLen = 40, int suffixLen = 12) =>
        DatasetFactory.Sample(new DatasetOptions
        {
            Name = "prefix_repetition", NumPrompts = prompts, Seed = 3, PrefixRepetitionNumPrefixes = prefixes,
            PrefixRepetitionPrefixLength = prefixLen, PrefixRepetitionSuffixLength = suffixLen, PrefixRepetitionOutputLength = 7,
        }, _tokenizer, PairTokenizer.OrdinaryIdLimit);

    [Fact]
    public void Prompts_share_their_prefix_in_groups_of_num_prompts_over_num_prefixes_and_are_shuffled()
    {
        var requests = Sample(prompts: 10, prefixes: 3);

        // 10 / 3 = 3 prompts per prefix: 9 in all, as vLLM makes them.
        Assert.Equal(9, requests.Count);
        Assert.All(requests, r => Assert.Equal(7, r.ExpectedOutputTokens));
        Assert.All(requests, r => Assert.Equal(_tokenizer.Encode(r.Prompt).Length, r.PromptTokens));
        // The prefix's tokens (all but the last, which may merge with the suffix) are the same within a group, distinct across.
        var groups = requests.GroupBy(r => string.Join(',', _tokenizer.Encode(r.Prompt)[..38])).ToArray();
        Assert.Equal(3, groups.Length);
        Assert.All(groups, g => Assert.Equal(3, g.Count()));
        Assert.Equal(9, requests.Select(r => r.Prompt).Distinct().Count());
        var order = requests.Select(r => Array.FindIndex(groups, g => g.Contains(r))).ToArray();
        Assert.NotEqual(order.Order().ToArray(), order);
        Assert.InRange(requests.Average(r => r.PromptTokens), 48, 56);
    }

    [Fact]
    public void Fewer_prompts_than_prefixes_is_one_sentence()
    {
        var error = Assert.Throws<ArgumentException>(() => Sample(prompts: 2, prefixes: 3));
        Assert.Contains("--prefix-repetition-num-prefixes", error.Message, StringComparison.Ordinal);
    }
}
