using System.Text;
using LlmBench.Text.Tokenization;

namespace LlmBench.Text.Tests.Tokenization;

public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmbench-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ModelDirectory_WithQwen3Files_TokenizesAsTheBuiltInOne()
    {
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.json"), EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerJson));
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer_config.json"), EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerConfigJson));
        var fromDir = TokenizerLoader.ForModel(_dir, modelVocabSize: 1024)!; // its own files win over the vocab rule
        Assert.NotSame(TokenizerLoader.Qwen3, fromDir);
        const string text = "<|im_start|>user\nGrüße 😀 世界<|im_end|>";
        Assert.Equal(TokenizerLoader.Qwen3.Encode(text), fromDir.Encode(text));
        Assert.Equal(TokenizerLoader.Qwen3.EosTokenIds, fromDir.EosTokenIds);
    }

    [Fact]
    public void ModelDirectory_WithoutTokenizerConfig_HasNoEosButStillChatMl()
    {
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.json"), EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerJson));
        var tokenizer = TokenizerLoader.FromDirectory(_dir);
        Assert.Empty(tokenizer.EosTokenIds);
        Assert.NotNull(tokenizer.ChatTemplate);
        Assert.False(tokenizer.ChatTemplate!.Reasoning);
    }

    [Theory]
    [InlineData(151_936, true)] // Qwen3-0.6B, Qwen2.5-0.5B
    [InlineData(152_064, true)] // Qwen2.5-7B
    [InlineData(151_669, true)]
    [InlineData(151_668, false)]
    [InlineData(128_256, false)] // Llama 3
    [InlineData(1024, false)] // the tiny golden fixtures
    public void ModelWithoutTokenizerFiles_GetsQwen3_OnlyWhenItsVocabHoldsEveryQwen3Id(int vocabSize, bool expectQwen3)
    {
        var tokenizer = TokenizerLoader.ForModel(_dir, vocabSize);
        Assert.Equal(expectQwen3, tokenizer is not null);
        if (expectQwen3)
        {
            Assert.Same(TokenizerLoader.Qwen3, tokenizer);
        }
    }

    [Fact]
    public void MissingTokenizerFile_IsAUserError()
    {
        var ex = Assert.Throws<UserErrorException>(() => TokenizerLoader.FromDirectory(_dir));
        Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"model\": ", "not valid JSON")]
    [InlineData("[1, 2]", "no \"model\" object")]
    [InlineData("{\"version\": \"1.0\"}", "no \"model\" object")]
    [InlineData("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "only byte-level BPE")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": [1, 2], \"merges\": []}}", "malformed")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"x\"}, \"merges\": []}}", "malformed")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}", "empty vocabulary")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"Metaspace\"}}", "pre-tokenizer")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"normalizer\": {\"type\": \"Lowercase\"}}", "Lowercase normalizer")]
    public void MalformedTokenizerJson_IsAUserErrorNamingTheProblem(string json, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), json);
        var ex = Assert.Throws<UserErrorException>(() => TokenizerLoader.FromDirectory(_dir));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "tokenizer.json"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegexThatDotNetCannotRun_IsAUserError()
    {
        string json = SyntheticTokenizer.Json(splitPattern: @"\p{Han}+|\s+");
        var ex = Assert.Throws<UserErrorException>(() => TokenizerLoader.Create(Encoding.UTF8.GetBytes(json), "test.json"));
        Assert.Contains("regex", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h", "z")] // "hz" is not in the vocabulary
    [InlineData("q", "qq")] // neither is "qq"
    public void MergeProducingAnUnknownToken_IsAUserError(string left, string right)
    {
        string json = SyntheticTokenizer.Json(merges: [["h", "e"], [left, right]]);
        var ex = Assert.Throws<UserErrorException>(() => TokenizerLoader.Create(Encoding.UTF8.GetBytes(json), "test.json"));
        Assert.Contains("test.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedTokenizerConfig_IsAUserError()
    {
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.json"), Encoding.UTF8.GetBytes(SyntheticTokenizer.Json()));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), "{ eos_token: ");
        var ex = Assert.Throws<UserErrorException>(() => TokenizerLoader.FromDirectory(_dir));
        Assert.Contains("tokenizer_config.json", ex.Message, StringComparison.Ordinal);
    }
}
