using LlmBench.Server;

namespace LlmBench.Cli.Tests;

/// <summary>First-run rough edges of issue 11: parse errors, the API key's sources, a CPU server's defaults.</summary>
[Collection(ConsoleCapture.Name)]
public class HardeningCliTests
{
    [Theory]
    [InlineData("run", "--no-such-option")]
    [InlineData("serve", "m", "--prot", "8000")]
    public async Task An_unknown_option_prints_the_error_and_a_one_line_hint_not_the_help(params string[] args)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(args);
        Assert.NotEqual(0, exit);
        var lines = (output + error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 6, string.Join('\n', lines));
        Assert.Contains(lines, l => l.Contains(args[^1] == "8000" ? "--prot" : "--no-such-option", StringComparison.Ordinal));
        Assert.Equal($"Run `llmbench {args[0]} --help` for its options.", lines[^1].Trim());
    }

    [Fact]
    public void The_api_key_comes_from_the_flag_a_file_or_the_environment()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            Assert.Equal("flag", ServeCommand.ResolveApiKey("flag", null, "env"));
            Assert.Equal("from-file", ServeCommand.ResolveApiKey(null, file, "env"));
            Assert.Equal("env", ServeCommand.ResolveApiKey(null, null, "env"));
            Assert.Null(ServeCommand.ResolveApiKey(null, null, null));
            Assert.Throws<UserErrorException>(() => ServeCommand.ResolveApiKey("flag", file, null));
            File.WriteAllText(file, "");
            Assert.Throws<UserErrorException>(() => ServeCommand.ResolveApiKey(null, file, null));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", null, false)]
    [InlineData("localhost", null, false)]
    [InlineData("::1", null, false)]
    [InlineData("0.0.0.0", null, true)]
    [InlineData("10.1.2.3", null, true)]
    [InlineData("0.0.0.0", "key", false)]
    public void Binding_beyond_loopback_without_a_key_is_warned_about(string host, string? key, bool warned) =>
        Assert.Equal(warned, ServeCommand.ExposedWithoutKey(new ServerOptions { ServedModelName = "m", Host = host, ApiKey = key }));

    [Fact]
    public void Serve_on_the_cpu_takes_cpu_defaults_and_the_kv_cache_flag()
    {
        var (_, specs) = ServeCommand.Bind(CliApp.BuildRoot().Parse(["serve", "qwen3-0.6b", "--device", "cpu", "--kv-cache-memory-bytes", "123456789"]));
        var spec = Assert.Single(specs);
        Assert.Equal(ServeCommand.CpuDefaults.MaxNumSeqs, spec.Options.MaxNumSeqs);
        Assert.Equal(RunCommand.CpuBatchedTokens, spec.Options.MaxNumBatchedTokens);
        Assert.Equal(123456789, spec.Options.KvCacheMemoryBytes);

        var (_, explicitSeqs) = ServeCommand.Bind(CliApp.BuildRoot().Parse(["serve", "qwen3-0.6b", "--device", "cpu", "--max-num-seqs", "32"]));
        Assert.Equal(32, Assert.Single(explicitSeqs).Options.MaxNumSeqs);
    }
}
