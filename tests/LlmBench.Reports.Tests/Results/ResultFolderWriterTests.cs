using System.Text.Json;
using LlmBench.Reports.Results;
using LlmBench.Reports.Tests.Serving;

namespace LlmBench.Reports.Tests.Results;

public sealed class ResultFolderWriterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("llmbench-results-").FullName, "nested");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public void Throughput_writes_every_exporters_file_with_schema_version_and_configuration()
    {
        var paths = ResultFolderWriter.Write(SampleResults.Throughput(), _folder, "tp", ResultExporters.Throughput);

        Assert.Equal(["tp.json", "tp.csv", "tp.md"], paths.Select(Path.GetFileName));
        Assert.All(paths, p => Assert.True(File.Exists(p), p));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "tp.json")));
        var ours = doc.RootElement.GetProperty("llmbench");
        Assert.Equal(ResultSchema.Version, ours.GetProperty("schema_version").GetInt32());
        var configuration = ours.GetProperty("configuration");
        Assert.Equal(SampleResults.Configuration.CommandLine, configuration.GetProperty("command_line").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("256", configuration.GetProperty("engine_options").GetProperty("max_num_seqs").GetString());
        Assert.Equal(5, configuration.GetProperty("seed").GetInt32());
        Assert.Equal(SampleResults.Configuration.GitCommit, configuration.GetProperty("git_commit").GetString());
        Assert.Equal("0.1.0+test", configuration.GetProperty("llmbench_version").GetString());
        Assert.StartsWith("schema_version,", File.ReadAllText(Path.Combine(_folder, "tp.csv")), StringComparison.Ordinal);
        var markdown = File.ReadAllText(Path.Combine(_folder, "tp.md"));
        Assert.Contains("- Schema version: 1", markdown, StringComparison.Ordinal);
        Assert.Contains("`llmbench throughput --model tiny --seed 5`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Serving_keeps_vllms_keys_and_adds_ours_under_llmbench()
    {
        var paths = ResultFolderWriter.Write(SampleRuns.Result(), _folder, "serve", ResultExporters.Serving);

        Assert.Equal(["serve.json", "serve.requests.jsonl", "serve.csv"], paths.Select(Path.GetFileName));
        using var doc = JsonDocument.Parse(File.ReadAllText(paths[0]));
        Assert.False(doc.RootElement.TryGetProperty("schema_version", out _));
        Assert.Equal(3, doc.RootElement.GetProperty("completed").GetInt32());
        var ours = doc.RootElement.GetProperty("llmbench");
        Assert.Equal(ResultSchema.Version, ours.GetProperty("schema_version").GetInt32());
        Assert.Equal(7, ours.GetProperty("configuration").GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Split_drops_the_extension_the_exporters_replace()
    {
        Assert.Equal((Path.Combine("out", "sub"), "tp"), ResultFolderWriter.Split(Path.Combine("out", "sub", "tp.json")));
        Assert.Equal(("", "tp"), ResultFolderWriter.Split("tp.json"));
    }
}
