using LlmBench.Engine.Loading;
using LlmBench.Text.Tokenization;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>Where `bench serve` finds the tokenizer it measures prompts with.</summary>
public class BenchTokenizerTests
{
    /// <summary>A cache that holds nothing, so the answers do not depend on this machine's downloads.</summary>
    private static readonly HuggingFaceEnvironment EmptyCache = HuggingFaceEnvironment.WithHfHome(Path.Combine(Path.GetTempPath(), "llmbench-no-such-hf-home"));

    [Theory]
    [InlineData("qwen3-0.6b")]
    [InlineData("Qwen/Qwen3-0.6B")]
    [InlineData("Qwen/Qwen2.5-7B-Instruct")]
    public void Qwen_names_get_the_built_in_tokenizer_with_ids_below_its_special_tokens(string name)
    {
        var (tokenizer, limit) = BenchTokenizer.Load(name, EmptyCache);

        Assert.Same(TokenizerLoader.Qwen3, tokenizer);
        Assert.Equal(151_643, limit); // <|endoftext|>, the first special token
    }

    [Fact]
    public void A_model_directory_whose_vocabulary_covers_qwen3_gets_the_built_in_tokenizer() =>
        Assert.Same(TokenizerLoader.Qwen3, BenchTokenizer.Load(Fixtures.WideQwen3, EmptyCache).Tokenizer);

    [Fact]
    public void A_model_directory_without_a_usable_tokenizer_is_one_sentence()
    {
        var ex = Assert.Throws<UserErrorException>(() => BenchTokenizer.Load(Fixtures.GoldenQwen3, EmptyCache));
        Assert.Contains("no tokenizer.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_says_what_to_pass()
    {
        var ex = Assert.Throws<UserErrorException>(() => BenchTokenizer.Load("meta-llama/Llama-3.1-8B", EmptyCache));
        Assert.Contains("--tokenizer", ex.Message, StringComparison.Ordinal);
    }

}
