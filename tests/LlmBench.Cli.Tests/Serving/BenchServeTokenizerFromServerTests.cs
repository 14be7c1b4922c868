using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>`bench serve --model ALIAS` where ALIAS is only the server's name for its model: the tokenizer comes from the server's /v1/models root.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchServeTokenizerFromServerTests(WideModelServer server) : IClassFixture<WideModelServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-tok-root-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_served_alias_takes_the_tokenizer_of_the_servers_root_and_says_so()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("bench", "serve", "--base-url", server.Run.BaseUrl.ToString(), "--model", WideModelServer.Model,
            "--num-prompts", "2", "--random-input-len", "8", "--random-output-len", "2", "--disable-tqdm", "--save-result", "--result-dir", _folder, "--result-filename", "r.json");

        Assert.True(exit == 0, error);
        Assert.Contains($"Tokenizer: {Fixtures.WideQwen3}, the server's root for \"{WideModelServer.Model}\"", error, StringComparison.Ordinal);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "r.json")));
        Assert.Equal(WideModelServer.Model, result.RootElement.GetProperty("model_id").GetString());
        Assert.Equal(Fixtures.WideQwen3, result.RootElement.GetProperty("tokenizer_id").GetString());
        Assert.Equal(2, result.RootElement.GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task A_name_neither_here_nor_on_the_server_is_one_sentence()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("bench", "serve", "--base-url", server.Run.BaseUrl.ToString(), "--model", "no-such-alias", "--num-prompts", "1");

        Assert.Equal(1, exit);
        Assert.Contains("No tokenizer for \"no-such-alias\"", error, StringComparison.Ordinal);
        Assert.Contains("gave no other name (root)", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
