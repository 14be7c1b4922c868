using LlmBench.LoadGen.Datasets;
using LlmBench.LoadGen.Tests.Fakes;

namespace LlmBench.LoadGen.Tests.Datasets;

public class RandomDatasetTests
{
    private static readonly PairTokenizer Tokenizer = new(5);

    [Fact]
    public void Range_follows_vllm_floor_and_ceiling()
    {
        Assert.Equal((384, 640), RandomDataset.Range(512, 0.25));
        Assert.Equal((512, 512), RandomDataset.Range(512, 0));
        Assert.Equal((1, 2), RandomDataset.Range(1, 0.9));
    }

    [Fact]
    public void Lengths_spread_over_the_whole_range_and_prompt_counts_are_the_text_re_encoded()
    {
        var options = new DatasetOptions { NumPrompts = 400, RandomInputLength = 100, RandomOutputLength = 40, RandomRangeRatio = 0.5, Seed = 3 };
        var dataset = new RandomDataset(Tokenizer, PairTokenizer.OrdinaryIdLimit);
        var requests = dataset.Sample(options);

        Assert.Equal(400, requests.Count);
        Assert.All(requests, r => Assert.Equal(Tokenizer.Encode(r.Prompt).Length, r.PromptTokens));
        var outputs = requests.Select(r => r.ExpectedOutputTokens).ToArray();
        Assert.InRange(outputs.Min(), 20, 22);
        Assert.InRange(outputs.Max(), 58, 60);
        Assert.InRange(outputs.Average(), 38, 42);
        // Inputs: the correction loop lands on the drawn length for nearly every prompt, so they span [50, 150] too.
        var inputs = requests.Select(r => r.PromptTokens).ToArray();
        Assert.InRange(inputs.Min(), 48, 55);
        Assert.InRange(inputs.Max(), 145, 152);
        Assert.InRange(inputs.Average(), 95, 105);
    }

    [Fact]
    public void Drift_from_re_tokenization_is_corrected_to_within_a_token_or_two()
    {
        var options = new DatasetOptions { NumPrompts = 200, RandomInputLength = 64, RandomOutputLength = 8, Seed = 11 };
        var dataset = new RandomDataset(Tokenizer, PairTokenizer.OrdinaryIdLimit);
        var requests = dataset.Sample(options);

        // Without correction this tokenizer merges about a quarter of the single letters away.
        Assert.True(dataset.LengthDrift <= 200, $"total drift {dataset.LengthDrift} tokens over 200 prompts");
        Assert.True(requests.Count(r => r.PromptTokens == 64) >= 180);
    }

    [Fact]
    public void The_prefix_is_shared_by_every_prompt()
    {
        var options = new DatasetOptions { NumPrompts = 20, RandomInputLength = 30, RandomOutputLength = 8, RandomPrefixLength = 16, Seed = 5 };
        var requests = new RandomDataset(new PairTokenizer(), PairTokenizer.OrdinaryIdLimit).Sample(options);
        var first = requests[0].Prompt;
        var common = requests.Select(r => r.Prompt).Aggregate(first, (acc, p) => acc[..acc.Zip(p).TakeWhile(x => x.First == x.Second).Count()]);

        // 16 ids decode to 16–32 letters; the re-encoding may split the last one differently.
        Assert.True(common.Length >= 15, $"shared prefix only {common.Length} chars");
        Assert.All(requests, r => Assert.InRange(r.PromptTokens, 44, 48));
    }

    [Fact]
    public void Eos_ids_are_never_drawn()
    {
        var options = new DatasetOptions { NumPrompts = 50, RandomInputLength = 50, RandomOutputLength = 1, Seed = 9 };
        var requests = new RandomDataset(new PairTokenizer(0, 1, 2, 3, 4), 6).Sample(options);

        // With a vocabulary of a–f and a–e excluded as EOS, only "f" remains.
        Assert.All(requests, r => Assert.Matches("^f+$", r.Prompt));
    }

    [Fact]
    public void A_vocabulary_of_only_eos_ids_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new RandomDataset(new PairTokenizer(0, 1), 2));
    }

    [Fact]
    public void Same_seed_gives_the_same_prompts()
    {
        var options = new DatasetOptions { NumPrompts = 5, RandomInputLength = 20, RandomOutputLength = 5, Seed = 1 };
        var a = new RandomDataset(Tokenizer, PairTokenizer.OrdinaryIdLimit).Sample(options);
        var b = new RandomDataset(Tokenizer, PairTokenizer.OrdinaryIdLimit).Sample(options);

        Assert.Equal(a, b);
    }
}
